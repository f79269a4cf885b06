package msg_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongkai/msg"
)

// parseTree parses every Go file of the tree under root but tests and
// testdata.
func parseTree(t *testing.T, root string) (*token.FileSet, []*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fset, files
}

// hintExprs finds every hint the code writes: a Hint field set in a
// composite literal or by assignment, a variable named hint, a constant
// named …Hint. Each is returned as an example of its text, with "X" where
// a part is computed (a path, a list of names).
func hintExprs(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	consts := map[string]string{}
	fset, files := parseTree(t, root)
	var example func(e ast.Expr) (string, bool)
	example = func(e ast.Expr) (string, bool) {
		switch x := e.(type) {
		case *ast.BasicLit:
			if x.Kind == token.STRING {
				s, err := strconv.Unquote(x.Value)
				return s, err == nil
			}
		case *ast.BinaryExpr:
			if x.Op == token.ADD {
				a, ok1 := example(x.X)
				b, ok2 := example(x.Y)
				if !ok1 && !ok2 {
					return "", false
				}
				if !ok1 {
					a = "X"
				}
				if !ok2 {
					b = "X"
				}
				return a + b, true
			}
		case *ast.CallExpr:
			if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(x.Args) > 0 {
				if f, ok := example(x.Args[0]); ok {
					return regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`).ReplaceAllString(f, "X"), true
				}
			}
		case *ast.Ident:
			if s, ok := consts[x.Name]; ok {
				return s, true
			}
		}
		return "", false
	}
	isHint := func(name string) bool { return name == "Hint" || name == "hint" || strings.HasSuffix(name, "Hint") }
	// Constants first (…Hint = "…" + "…"), then their uses.
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			if vs, ok := n.(*ast.ValueSpec); ok {
				for i, name := range vs.Names {
					if isHint(name.Name) && i < len(vs.Values) {
						if s, ok := example(vs.Values[i]); ok {
							consts[name.Name] = s
						}
					}
				}
			}
			return true
		})
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			var vals []ast.Expr
			switch x := n.(type) {
			case *ast.KeyValueExpr:
				if k, ok := x.Key.(*ast.Ident); ok && k.Name == "Hint" {
					vals = append(vals, x.Value)
				}
			case *ast.AssignStmt:
				for i, l := range x.Lhs {
					name := ""
					switch l := l.(type) {
					case *ast.Ident:
						name = l.Name
					case *ast.SelectorExpr:
						name = l.Sel.Name
					}
					if isHint(name) && i < len(x.Rhs) {
						vals = append(vals, x.Rhs[i])
					}
				}
			}
			for _, v := range vals {
				if s, ok := example(v); ok && s != "" {
					out[s] = fset.Position(v.Pos()).String()
				}
			}
			return true
		})
	}
	return out
}

// Every hint the code writes has a Chinese text: the catalogue's hint.*
// entries match it (a computed part matches a {name}).
func TestEveryHintInCatalogue(t *testing.T) {
	hints := hintExprs(t, "..")
	if len(hints) < 40 {
		t.Fatalf("found only %d hints in the source tree", len(hints))
	}
	for h, at := range hints {
		if zh := msg.HintIn(h, msg.ZH); zh == h {
			t.Errorf("%s: hint %q has no Chinese text (msg/errors.go hint.*)", at, h)
		}
	}
}

// Every detail an error gives after its cause (fmt.Errorf("%w: …", …), the
// command line's usageError("…")) has its Chinese: the catalogue's cause.* phrases match it. A detail that is
// only what another error says ("%w: %v") is that error's to word.
func TestEveryCauseInCatalogue(t *testing.T) {
	verb := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	fset, files := parseTree(t, "..")
	n := 0
	for _, f := range files {
		ast.Inspect(f, func(node ast.Node) bool {
			call, ok := node.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			// fmt.Errorf("%w: …") and the command line's usageError("…").
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			format, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				if fn.Sel.Name != "Errorf" || !strings.HasPrefix(format, "%w: ") {
					return true
				}
			case *ast.Ident:
				if fn.Name != "usageError" {
					return true
				}
				format = "%w: " + format
			default:
				return true
			}
			example := verb.ReplaceAllStringFunc(strings.TrimPrefix(format, "%w: "), func(v string) string {
				if strings.HasSuffix(v, "d") {
					return "7"
				}
				return "X"
			})
			if strings.Trim(example, "X7 :") == "" {
				return true // "%w: %v": the detail is another error's own text
			}
			n++
			if zh := msg.Cause(msg.ZH, example); zh == example {
				t.Errorf("%s: error detail %q has no Chinese text (msg/causes.go)", fset.Position(lit.Pos()), format)
			}
			return true
		})
	}
	if n < 40 {
		t.Fatalf("found only %d error details in the source tree", n)
	}
}
