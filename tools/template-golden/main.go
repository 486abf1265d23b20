// Command template-golden renders the conformance cases with Go's own text/template, the Sprig
// functions (github.com/Masterminds/sprig/v3) and Helm's toYaml/fromYaml/required, and writes the
// golden fixture used by the TypeScript engine's unit tests.
//
// Usage: go run . -cases cases -out ../../test/fixtures/template-conformance/cases.json
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

// caseFile is one YAML file of cases: default data plus a list of cases.
type caseFile struct {
	Data  json.RawMessage `json:"data"`
	Cases []caseSpec      `json:"cases"`
}

type caseSpec struct {
	Name       string          `json:"name"`
	Template   string          `json:"t"`
	Data       json.RawMessage `json:"d"`
	MissingKey string          `json:"mk"`
	Delims     []string        `json:"delims"`
	TplName    string          `json:"tname"`
	// TemplateFile and DataFile (paths relative to the cases directory) load the template / the
	// JSON data from files, e.g. the benchmark inputs.
	TemplateFile string `json:"tfile"`
	DataFile     string `json:"dfile"`
}

// golden is one fixture entry.
type golden struct {
	Name       string          `json:"name"`
	TplName    string          `json:"templateName"`
	Template   string          `json:"template"`
	Data       json.RawMessage `json:"data"`
	MissingKey string          `json:"missingKey,omitempty"`
	Delims     []string        `json:"delims,omitempty"`
	Output     *string         `json:"output,omitempty"`
	Error      *string         `json:"error,omitempty"`
	ErrorKind  string          `json:"errorKind,omitempty"`
}

// engineFuncs are exactly the Sprig/Helm functions the TypeScript engine implements, so that
// "function not defined" behaves the same on both sides.
var engineFuncs = []string{
	"default", "empty", "coalesce", "ternary", "quote", "squote", "indent", "nindent", "join",
	"splitList", "split", "upper", "lower", "title", "trim", "trimPrefix", "trimSuffix", "replace",
	"contains", "hasPrefix", "hasSuffix", "repeat", "b64enc", "b64dec", "sha256sum", "toJson",
	"list", "dict", "get", "hasKey", "keys", "fail", "int", "toString",
}

func funcMap() template.FuncMap {
	all := sprig.TxtFuncMap()
	fm := template.FuncMap{}
	for _, name := range engineFuncs {
		f, ok := all[name]
		if !ok {
			panic("sprig has no " + name)
		}
		fm[name] = f
	}
	// Helm's own functions (helm.sh/helm/v3/pkg/engine/funcs.go).
	fm["toYaml"] = toYAML
	fm["fromYaml"] = fromYAML
	fm["required"] = required
	return fm
}

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func fromYAML(str string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func required(warn string, val interface{}) (interface{}, error) {
	if val == nil {
		return val, errors.New(warn)
	} else if _, ok := val.(string); ok {
		if val == "" {
			return val, errors.New(warn)
		}
	}
	return val, nil
}

// decodeData turns JSON into Go values the way the TypeScript engine sees JavaScript values:
// integral numbers are int, other numbers float64.
func decodeData(raw json.RawMessage) (interface{}, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v interface{}
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return convertNumbers(v), nil
}

func convertNumbers(v interface{}) interface{} {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		f, err := x.Float64()
		if err != nil {
			panic(err)
		}
		if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int(f)
		}
		return f
	case []interface{}:
		for i := range x {
			x[i] = convertNumbers(x[i])
		}
		return x
	case map[string]interface{}:
		for k := range x {
			x[k] = convertNumbers(x[k])
		}
		return x
	}
	return v
}

func render(c caseSpec, name string, data json.RawMessage) golden {
	g := golden{Name: c.Name, TplName: name, Template: c.Template, Data: data, MissingKey: c.MissingKey, Delims: c.Delims}
	t := template.New(name).Funcs(funcMap())
	if len(c.Delims) == 2 {
		t = t.Delims(c.Delims[0], c.Delims[1])
	}
	if c.MissingKey != "" {
		t = t.Option("missingkey=" + c.MissingKey)
	}
	t, err := t.Parse(c.Template)
	if err != nil {
		msg := err.Error()
		g.Error, g.ErrorKind = &msg, "parse"
		return g
	}
	value, err := decodeData(data)
	if err != nil {
		panic(fmt.Sprintf("case %s: bad data: %v", c.Name, err))
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, value); err != nil {
		msg := err.Error()
		g.Error, g.ErrorKind = &msg, "exec"
		return g
	}
	out := buf.String()
	g.Output = &out
	return g
}

func main() {
	casesDir := flag.String("cases", "cases", "directory of *.yaml case files")
	outPath := flag.String("out", "", "fixture file to write")
	flag.Parse()
	files, err := filepath.Glob(filepath.Join(*casesDir, "*.yaml"))
	if err != nil {
		panic(err)
	}
	sort.Strings(files)
	var defaults caseFile
	if text, err := os.ReadFile(filepath.Join(*casesDir, "_default.yaml")); err == nil {
		if err := yaml.Unmarshal(text, &defaults); err != nil {
			panic(err)
		}
	}
	var all []golden
	seen := map[string]bool{}
	for _, file := range files {
		if strings.HasPrefix(filepath.Base(file), "_") {
			continue
		}
		text, err := os.ReadFile(file)
		if err != nil {
			panic(err)
		}
		var cf caseFile
		if err := yaml.Unmarshal(text, &cf); err != nil {
			panic(fmt.Sprintf("%s: %v", file, err))
		}
		base := strings.TrimSuffix(filepath.Base(file), ".yaml")
		for i, c := range cf.Cases {
			if c.Name == "" {
				c.Name = fmt.Sprintf("%s/%03d", base, i+1)
			} else {
				c.Name = base + "/" + c.Name
			}
			if seen[c.Name] {
				panic("duplicate case name " + c.Name)
			}
			seen[c.Name] = true
			if c.TemplateFile != "" {
				b, err := os.ReadFile(filepath.Join(*casesDir, c.TemplateFile))
				if err != nil {
					panic(err)
				}
				c.Template = string(b)
			}
			data := c.Data
			if c.DataFile != "" {
				b, err := os.ReadFile(filepath.Join(*casesDir, c.DataFile))
				if err != nil {
					panic(err)
				}
				var compact bytes.Buffer
				if err := json.Compact(&compact, b); err != nil {
					panic(err)
				}
				data = compact.Bytes()
			}
			if len(data) == 0 {
				data = cf.Data
			}
			if len(data) == 0 {
				data = defaults.Data
			}
			name := c.TplName
			if name == "" {
				name = "tpl"
			}
			all = append(all, render(c, name, data))
		}
	}
	out, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		panic(err)
	}
	out = append(out, '\n')
	if *outPath == "" {
		os.Stdout.Write(out)
		return
	}
	if err := os.WriteFile(*outPath, out, 0o644); err != nil {
		panic(err)
	}
	fmt.Fprintf(os.Stderr, "wrote %d cases to %s\n", len(all), *outPath)
}
