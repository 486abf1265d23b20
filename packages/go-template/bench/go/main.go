// Command render-bench measures Go's text/template (with Sprig and Helm's toYaml/fromYaml/required,
// the function set the provider's engine implements) on the benchmark inputs: renders per second
// of an already parsed template, and of parse+render.
//
// Usage: go run . -duration 3s ../inputs/spec-user-data.tmpl ../inputs/large-200.tmpl
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"text/template"
	"time"

	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

type result struct {
	Name               string  `json:"name"`
	Engine             string  `json:"engine"`
	ExecPerSec         float64 `json:"execPerSec"`
	ExecPerCPUSec      float64 `json:"execPerCpuSec"`
	ParseExecPerSec    float64 `json:"parseExecPerSec"`
	ParseExecPerCPUSec float64 `json:"parseExecPerCpuSec"`
	OutputBytes        int     `json:"outputBytes"`
	OutputSha256       string  `json:"outputSha256"`
}

// cpuTime is this process's user+system CPU time (all threads, so the GC's work counts too).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func funcMap() template.FuncMap {
	fm := sprig.TxtFuncMap()
	fm["toYaml"] = func(v interface{}) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	fm["fromYaml"] = func(str string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(str), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	fm["required"] = func(warn string, val interface{}) (interface{}, error) {
		if val == nil {
			return val, errors.New(warn)
		} else if s, ok := val.(string); ok && s == "" {
			return val, errors.New(warn)
		}
		return val, nil
	}
	return fm
}

// loadData decodes JSON the way the TypeScript engine sees it: integral numbers are int.
func loadData(path string) interface{} {
	raw, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v interface{}
	if err := dec.Decode(&v); err != nil {
		panic(err)
	}
	return convert(v)
}

func convert(v interface{}) interface{} {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		f, _ := x.Float64()
		if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int(f)
		}
		return f
	case []interface{}:
		for i := range x {
			x[i] = convert(x[i])
		}
	case map[string]interface{}:
		for k := range x {
			x[k] = convert(x[k])
		}
	}
	return v
}

// measure runs f for about d; returns calls per wall-clock second and per CPU second.
func measure(d time.Duration, f func()) (perSec, perCPUSec float64) {
	for i := 0; i < 20; i++ { // warm-up
		f()
	}
	n := 0
	start, startCPU := time.Now(), cpuTime()
	for time.Since(start) < d {
		for i := 0; i < 20; i++ {
			f()
		}
		n += 20
	}
	wall, cpu := time.Since(start), cpuTime()-startCPU
	return float64(n) / wall.Seconds(), float64(n) / cpu.Seconds()
}

func main() {
	duration := flag.Duration("duration", 3*time.Second, "measuring time per template and mode")
	dataPath := flag.String("data", "", "JSON data file")
	outDir := flag.String("out", "", "directory to write each rendered output to (NAME.out)")
	flag.Parse()
	data := loadData(*dataPath)
	funcs := funcMap()
	var results []result
	for _, path := range flag.Args() {
		textBytes, err := os.ReadFile(path)
		if err != nil {
			panic(err)
		}
		text := string(textBytes)
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		tmpl := template.Must(template.New(name).Funcs(funcs).Parse(text))
		var buf bytes.Buffer
		if err := tmpl.Execute(&buf, data); err != nil {
			panic(err)
		}
		out := buf.Bytes()
		sum := sha256.Sum256(out)
		if *outDir != "" {
			if err := os.WriteFile(filepath.Join(*outDir, name+".out"), out, 0o644); err != nil {
				panic(err)
			}
		}
		execPerSec, execPerCPU := measure(*duration, func() {
			var b bytes.Buffer
			if err := tmpl.Execute(&b, data); err != nil {
				panic(err)
			}
		})
		parsePerSec, parsePerCPU := measure(*duration, func() {
			t := template.Must(template.New(name).Funcs(funcs).Parse(text))
			var b bytes.Buffer
			if err := t.Execute(&b, data); err != nil {
				panic(err)
			}
		})
		results = append(results, result{
			Name: name, Engine: "go text/template", ExecPerSec: execPerSec, ExecPerCPUSec: execPerCPU,
			ParseExecPerSec: parsePerSec, ParseExecPerCPUSec: parsePerCPU,
			OutputBytes: len(out), OutputSha256: hex.EncodeToString(sum[:]),
		})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(results); err != nil {
		panic(err)
	}
	fmt.Fprintln(os.Stderr, "go benchmark done")
}
