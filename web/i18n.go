package web

import (
	"net/http"
	"strings"

	"gongkai/msg"
)

// Lang is a page language: Chinese, the default for the offices the page
// is for, or English.
type Lang string

const (
	Zh Lang = "zh"
	En Lang = "en"
)

// langOf picks the page language from ?lang=: Chinese unless it says
// English. The browser's Accept-Language is not followed: the page is for
// Chinese offices, whatever language their browser was installed in, and
// the toggle carries ?lang=en on every link.
func langOf(r *http.Request) Lang {
	if strings.EqualFold(r.URL.Query().Get("lang"), "en") {
		return En
	}
	return Zh
}

// Msg is l as the msg catalogue names it.
func (l Lang) Msg() msg.Lang {
	if l == En {
		return msg.EN
	}
	return msg.ZH
}

// T returns the page text key (web.KEY in the msg catalogue, which holds
// the page's own words: headings, buttons, notes) in l, or key itself when
// the catalogue has none.
func (l Lang) T(key string) string {
	id := msg.ID("web." + key)
	if !msg.Has(id) {
		return key
	}
	return msg.T(l.Msg(), id, nil)
}

// BodyType names a body type in l (an unknown one, or "", as it is).
func (l Lang) BodyType(t string) string {
	id := msg.ID("body." + t)
	if t == "" || !msg.Has(id) {
		return t
	}
	return msg.T(l.Msg(), id, nil)
}

// Why says why a missing body is expected, in the page's language: it
// reported for lastYear (not for the year shown), or, when lastYear is 0,
// it is a township of the divisions data.
func (b base) Why(lastYear int64) string {
	if lastYear > 0 {
		return msg.S(b.L.Msg(), "web.why_reported", "last", lastYear, "year", b.Year)
	}
	return b.L.T("why_township")
}
