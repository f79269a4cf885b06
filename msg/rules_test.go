package msg_test

import (
	"testing"

	"gongkai"
	"gongkai/compile"
	"gongkai/division"
	"gongkai/msg"
)

// Every rule a finding can carry has a name in both languages, and every
// rule's codes are in the catalogue.
func TestEveryRuleHasTexts(t *testing.T) {
	rules := []string{division.RuleDiv, compile.RuleCompile}
	for _, r := range gongkai.Rules {
		rules = append(rules, r.Rule)
	}
	codes := map[string]int{}
	for _, id := range msg.IDs() {
		if rule, _, ok := cut(string(id)); ok {
			codes[rule]++
		}
	}
	for _, r := range rules {
		if !msg.Has(msg.ID("rule." + r)) {
			t.Errorf("rule %s has no rule.%s text", r, r)
		}
		if codes[r] == 0 {
			t.Errorf("rule %s has no finding code", r)
		}
	}
}

func cut(id string) (rule, kind string, ok bool) {
	for i := 0; i < len(id); i++ {
		if id[i] == '.' {
			return id[:i], id[i+1:], id[:i] != "rule"
		}
	}
	return "", "", false
}
