// Package msg is gongkai's one message catalogue: every text a user reads
// that is not data (finding messages, error causes and hints, help) under a
// stable ID, in English and Chinese, and the choice between the two.
//
// The district 政务公开 offices work in Chinese, analysts and scripts often
// in English; so nothing that is stored or sent to a program is translated
// in place. A finding is stored with a code (an ID here) and its arguments
// beside the English message, and is put into words in the reader's
// language only when it is shown (Finding). Official labels (本年新收,
// 自然人…) are data of the root package and reach the texts as arguments,
// unchanged in both languages.
//
// Texts use named placeholders, {name}, filled from Args: Chinese word
// order differs from English, so positional verbs (%s %d) would tie the
// translation to the English sentence. The package's tests check that
// every ID has both texts and that the two name the same placeholders.
package msg

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Lang is a language gongkai speaks.
type Lang string

const (
	// EN is English, the default and the language of stored messages.
	EN Lang = "en"
	// ZH is Simplified Chinese (zh-CN).
	ZH Lang = "zh"
)

// Langs lists the languages every ID has a text in.
var Langs = []Lang{EN, ZH}

// ID names one text of the catalogue. Finding codes are IDs too ("R1.unequal").
type ID string

// Text is one message in both languages.
type Text struct {
	En, Zh string
}

// Args fills a text's {name} placeholders. Values are already formatted:
// numbers as the report prints them, labels as the layout states them.
type Args map[string]string

// A builds Args from name, value pairs; values are formatted with %v.
func A(pairs ...any) Args {
	a := make(Args, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		a[fmt.Sprint(pairs[i])] = fmt.Sprint(pairs[i+1])
	}
	return a
}

// catalogue holds every text, gathered from the tables of this package's
// files (findings, errors, cli, help) by build.
var catalogue = build(findingTexts, ruleTexts, errorTexts, cliTexts, helpTexts, helpFrame, flagTexts, webTexts, bodyTypeTexts, readTexts, phraseTexts, apiTexts)

func build(tables ...map[ID]Text) map[ID]Text {
	out := map[ID]Text{}
	for _, t := range tables {
		for id, txt := range t {
			if _, dup := out[id]; dup {
				panic("msg: ID defined twice: " + string(id))
			}
			out[id] = txt
		}
	}
	return out
}

// IDs lists every ID of the catalogue, sorted.
func IDs() []ID {
	return slices.Sorted(maps.Keys(catalogue))
}

// Lookup returns the text of id, and whether the catalogue has it.
func Lookup(id ID) (Text, bool) {
	t, ok := catalogue[id]
	return t, ok
}

// Has says whether the catalogue holds id.
func Has(id ID) bool {
	_, ok := catalogue[id]
	return ok
}

// In returns t in language l (English for any language but Chinese).
func (t Text) In(l Lang) string {
	if l == ZH {
		return t.Zh
	}
	return t.En
}

// T returns the text of id in l with its placeholders filled from args.
// An unknown ID is returned as it is, so a missing text shows up plainly
// instead of as an empty line (the tests keep the catalogue complete).
func T(l Lang, id ID, args Args) string {
	t, ok := catalogue[id]
	if !ok {
		return string(id)
	}
	return Fill(t.In(l), localArgs(l, args))
}

// S is T with args given as name, value pairs.
func S(l Lang, id ID, pairs ...any) string {
	return T(l, id, A(pairs...))
}

var placeholder = regexp.MustCompile(`\{[a-z][a-z0-9_]*\}`)

// Fill replaces each {name} of s whose name args holds; other braces are
// left as they are (help texts show JSON).
func Fill(s string, args Args) string {
	if len(args) == 0 || !strings.Contains(s, "{") {
		return s
	}
	return placeholder.ReplaceAllStringFunc(s, func(p string) string {
		if v, ok := args[p[1:len(p)-1]]; ok {
			return v
		}
		return p
	})
}

// Placeholders lists the {name}s s uses, sorted and each once.
func Placeholders(s string) []string {
	var out []string
	for _, p := range placeholder.FindAllString(s, -1) {
		out = append(out, p[1:len(p)-1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ParseArgs reads arguments stored as a JSON object of strings
// (findings.args): nil for NULL or "" (a finding without a code).
func ParseArgs(v any) (Args, error) {
	var s string
	switch t := v.(type) {
	case nil:
		return nil, nil
	case string:
		s = t
	case []byte:
		s = string(t)
	default:
		return nil, fmt.Errorf("finding args: unexpected %T", v)
	}
	if s == "" {
		return nil, nil
	}
	var a Args
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		return nil, fmt.Errorf("finding args %q: %w", s, err)
	}
	return a, nil
}
