package store

import (
	"encoding/json"
	"fmt"

	"gongkai"
	"gongkai/msg"
)

// findingCode is what findings.code and findings.args (schema 8) hold for
// f: its code and its arguments as a JSON object, or two NULLs (nil) for a
// finding without a code.
func findingCode(f gongkai.Finding) (code, args any, err error) {
	if f.Code == "" {
		return nil, nil, nil
	}
	a := f.Args
	if a == nil {
		a = msg.Args{}
	}
	b, err := json.Marshal(a)
	if err != nil {
		return nil, nil, fmt.Errorf("finding %s: args: %w", f.Code, err)
	}
	return f.Code, string(b), nil
}
