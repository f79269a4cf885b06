package msg

import (
	"fmt"
	"strings"
)

// Parse reads a language as a user or the environment names it: "zh",
// "zh-CN", "zh_CN.UTF-8", "zh_TW", "en", "en_US.UTF-8", "C", "POSIX".
// Anything Chinese is ZH; English, C and POSIX are EN. Other languages
// are refused: gongkai has no texts in them.
func Parse(s string) (Lang, error) {
	tag := strings.ToLower(strings.TrimSpace(s))
	// Drop the codeset and modifier of a POSIX locale (zh_CN.UTF-8@pinyin).
	if i := strings.IndexAny(tag, ".@"); i >= 0 {
		tag = tag[:i]
	}
	base, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	switch base {
	case "zh":
		return ZH, nil
	case "en", "c", "posix":
		return EN, nil
	}
	return EN, fmt.Errorf("language %q: gongkai speaks en and zh", s)
}

// FromEnv chooses the language of messages from the environment as POSIX
// does for LC_MESSAGES: the first of LC_ALL, LC_MESSAGES and LANG that is
// set decides; a Chinese locale (zh_CN.UTF-8, zh_TW, zh) gives ZH, any
// other locale (or none) EN. getenv is os.Getenv in main and a map in tests.
func FromEnv(getenv func(string) string) Lang {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		s := strings.TrimSpace(getenv(v))
		if s == "" {
			continue
		}
		if l, err := Parse(s); err == nil {
			return l
		}
		return EN
	}
	return EN
}

// Choose is the language of one run: the --lang flag when given (an
// unknown value is an error), else the environment's (FromEnv).
func Choose(flag string, getenv func(string) string) (Lang, error) {
	if strings.TrimSpace(flag) != "" {
		return Parse(flag)
	}
	return FromEnv(getenv), nil
}

// FromAcceptLanguage picks the language of an HTTP answer from an
// Accept-Language header: the first language of the highest weight that
// gongkai speaks, or def when none is named or none is spoken.
func FromAcceptLanguage(header string, def Lang) Lang {
	best, bestQ := def, -1.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if tag == "" || tag == "*" {
			continue
		}
		q := 1.0
		if p := strings.TrimSpace(params); strings.HasPrefix(p, "q=") {
			if _, err := fmt.Sscanf(p[2:], "%g", &q); err != nil {
				continue
			}
		}
		l, err := Parse(tag)
		if err != nil || q <= 0 {
			continue
		}
		if q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}
