// Command template-golden renders the conformance cases with Go's own text/template, the Sprig
// functions (github.com/Masterminds/sprig/v3) and Helm's toYaml/fromYaml/required, and writes the
// golden fixture used by the TypeScript engine's unit tests.
//
// Usage: go run . -cases cases -out ../test/fixtures/cases.json
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

// excluded are the Sprig functions the engine leaves out, each with the reason: a template must
// render the same wherever and whenever it runs (Temporal replays workflow code), so nothing that
// reads the clock, the environment, the network or randomness. README.md lists
// them too.
var excluded = map[string]string{
	"now": "clock", "ago": "clock", "date": "local time zone (environment)",
	"date_in_zone": "clock when given no time", "dateInZone": "clock when given no time",
	"date_modify": "clock when given no time", "dateModify": "clock when given no time",
	"must_date_modify": "local time zone (environment)", "mustDateModify": "local time zone (environment)",
	"htmlDate": "local time zone (environment)", "htmlDateInZone": "clock when given no time",
	"toDate": "local time zone (environment)", "mustToDate": "local time zone (environment)",
	"unixEpoch":     "needs a time.Time, which only the clock or toDate make",
	"durationRound": "clock (time.Since) for times",
	"env":           "environment", "expandenv": "environment", "getHostByName": "network (DNS)",
	"randAlphaNum": "randomness", "randAlpha": "randomness", "randAscii": "randomness",
	"randNumeric": "randomness", "randBytes": "randomness", "randInt": "randomness",
	"shuffle": "randomness", "uuidv4": "randomness",
	"bcrypt": "randomness (salt)", "htpasswd": "randomness (salt)", "encryptAES": "randomness (IV)",
	"genPrivateKey": "randomness", "genCA": "randomness", "genCAWithKey": "randomness",
	"genSelfSignedCert": "randomness", "genSelfSignedCertWithKey": "randomness",
	"genSignedCert": "randomness", "genSignedCertWithKey": "randomness",
	"slice": "text/template's builtin slice keeps its name (it also slices strings); mustSlice is Sprig's",
}

// funcMap is Sprig's TxtFuncMap without the excluded functions, plus Helm's own toYaml, fromYaml,
// toJson, fromJson, required and tpl; tpl renders with a clone of *parent.
func funcMap(parent **template.Template) template.FuncMap {
	fm := template.FuncMap{}
	for name, f := range sprig.TxtFuncMap() {
		if _, skip := excluded[name]; !skip {
			fm[name] = f
		}
	}
	// Helm's own functions (helm.sh/helm/v3/pkg/engine/funcs.go and engine.go).
	fm["toYaml"] = toYAML
	fm["fromYaml"] = fromYAML
	fm["toJson"] = toJSON
	fm["fromJson"] = fromJSON
	fm["required"] = required
	fm["tpl"] = tplFunc(parent)
	return fm
}

// tplFunc is Helm's tpl: the text is parsed into a clone of the calling template (so it sees its
// defines) under the calling template's name and executed with vals; "<no value>" is removed.
func tplFunc(parent **template.Template) func(string, interface{}) (string, error) {
	return func(text string, vals interface{}) (string, error) {
		p := *parent
		t, err := p.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New(p.Name()).Parse(text)
		if err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, cleanupParseError(p.Name(), err))
		}
		var buf strings.Builder
		if err := t.Execute(&buf, vals); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
}

// cleanupParseError is Helm's: the location and the last part of Go's message.
func cleanupParseError(filename string, err error) error {
	tokens := strings.Split(err.Error(), ": ")
	if len(tokens) == 1 {
		return fmt.Errorf("parse error in (%s): %s", filename, err)
	}
	return fmt.Errorf("parse error at (%s): %s", tokens[1], tokens[len(tokens)-1])
}

func toJSON(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

func fromJSON(str string) map[string]interface{} {
	m := make(map[string]interface{})
	if err := json.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
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
	var t *template.Template
	t = template.New(name).Funcs(funcMap(&t))
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
	funcsPath := flag.String("funcs", "", "file to write the function set to (names and excluded functions)")
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
	if *funcsPath != "" {
		writeFuncs(*funcsPath)
	}
	fmt.Fprintf(os.Stderr, "wrote %d cases to %s\n", len(all), *outPath)
}

// writeFuncs writes the names of the functions templates have (Sprig's and Helm's, not
// text/template's builtins) and the excluded ones with their reasons.
func writeFuncs(path string) {
	var names []string
	for name := range funcMap(new(*template.Template)) {
		names = append(names, name)
	}
	sort.Strings(names)
	out, err := json.MarshalIndent(map[string]interface{}{
		"functions": names,
		"excluded":  excluded,
	}, "", "  ")
	if err != nil {
		panic(err)
	}
	if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
		panic(err)
	}
}
