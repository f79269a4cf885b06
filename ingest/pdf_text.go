package ingest

import (
	"fmt"
	"math"

	"github.com/ledongthuc/pdf"
)

// pageContent interprets one page's content stream: the text operators
// give each shown character with its position, size and advance (PDF
// 1.7 §9.4), the path operators give the rulings. The library's own
// Content() is not used for text: it shows a phantom character after
// every TJ (it decodes "\n" through the font, and a subset font may map
// that code to a digit: "-3" came out "-35") and it gives no advance for
// CID fonts. The library still parses the file, the fonts and their
// ToUnicode maps.
//
// Form XObjects are followed (nested at most 8 deep) with their own
// matrix and resources; image XObjects are counted, so that a page of
// images only can be told apart from an empty one.
func pageContent(pg pdf.Page) (glyphs []pdfGlyph, segs []segment, images int) {
	type textState struct {
		font           *pdfFont
		size           float64 // Tf operand
		tc, tw, th, tl float64
		rise           float64
		ctm            affine
		path           []segment
		cx, cy, sx, sy float64
		tm, tlm        affine
		inText         bool
	}
	st := textState{th: 1, ctm: identity, tm: identity, tlm: identity}
	var stack []textState
	pageW, pageH := pageSize(pg)

	addRect := func(x, y, w, h float64) {
		x0, y0 := st.ctm.apply(x, y)
		x1, y1 := st.ctm.apply(x+w, y+h)
		if x0 > x1 {
			x0, x1 = x1, x0
		}
		if y0 > y1 {
			y0, y1 = y1, y0
		}
		if x1-x0 >= 0.9*pageW && y1-y0 >= 0.9*pageH {
			return // a page-sized clip or background says nothing
		}
		switch {
		case x1-x0 < 2.5 && y1-y0 < 2.5:
			return
		case y1-y0 < 2.5: // a thin bar is a horizontal rule
			ym := (y0 + y1) / 2
			st.path = append(st.path, segment{x0, ym, x1, ym})
		case x1-x0 < 2.5:
			xm := (x0 + x1) / 2
			st.path = append(st.path, segment{xm, y0, xm, y1})
		default:
			st.path = append(st.path,
				segment{x0, y0, x1, y0}, segment{x0, y1, x1, y1},
				segment{x0, y0, x0, y1}, segment{x1, y0, x1, y1})
		}
	}
	lineTo := func(x, y float64) {
		x0, y0 := st.ctm.apply(st.cx, st.cy)
		x1, y1 := st.ctm.apply(x, y)
		switch {
		case math.Abs(y1-y0) < 0.5 && math.Abs(x1-x0) >= 1:
			if x0 > x1 {
				x0, x1 = x1, x0
			}
			st.path = append(st.path, segment{x0, y0, x1, y0})
		case math.Abs(x1-x0) < 0.5 && math.Abs(y1-y0) >= 1:
			if y0 > y1 {
				y0, y1 = y1, y0
			}
			st.path = append(st.path, segment{x0, y0, x0, y1})
		}
		st.cx, st.cy = x, y
	}
	show := func(raw string) {
		f := st.font
		if f == nil || len(glyphs) > maxPDFGlyphs {
			return
		}
		m := st.tm.then(st.ctm)
		vscale := math.Hypot(m[2], m[3])
		hscale := math.Hypot(m[0], m[1])
		for _, code := range f.split(raw) {
			w0 := f.width(code)
			trm := affine{st.size * st.th, 0, 0, st.size, 0, st.rise}.then(m)
			text := f.decode(code)
			adv := (w0/1000*st.size + st.tc) * st.th
			if len(code) == 1 && code[0] == ' ' {
				adv += st.tw * st.th
			}
			size := math.Abs(st.size * vscale)
			glyphs = append(glyphs, pdfGlyph{x: trm[4], y: trm[5], size: size, s: text,
				w: math.Abs(w0 / 1000 * st.size * st.th * hscale)})
			st.tm = affine{1, 0, 0, 1, adv, 0}.then(st.tm)
		}
	}
	nextLine := func(tx, ty float64) {
		st.tlm = affine{1, 0, 0, 1, tx, ty}.then(st.tlm)
		st.tm = st.tlm
	}

	var run func(content, resources pdf.Value, depth int)
	run = func(content, resources pdf.Value, depth int) {
		fonts := map[string]*pdfFont{}
		pdf.Interpret(content, func(stk *pdf.Stack, op string) {
			args := make([]pdf.Value, stk.Len())
			for i := len(args) - 1; i >= 0; i-- {
				args[i] = stk.Pop()
			}
			num := func(i int) float64 {
				if i < len(args) {
					return args[i].Float64()
				}
				return 0
			}
			need := func(n int) bool {
				if len(args) < n {
					return false
				}
				for _, a := range args[len(args)-n:] {
					if a.Kind() != pdf.Integer && a.Kind() != pdf.Real {
						return false
					}
				}
				args = args[len(args)-n:]
				return true
			}
			if len(segs) > maxPDFSegments {
				return
			}
			switch op {
			case "q":
				if len(stack) < 1000 {
					saved := st
					saved.path = nil
					stack = append(stack, saved)
				}
			case "Q":
				if n := len(stack); n > 0 {
					path := st.path
					st = stack[n-1]
					st.path = path
					stack = stack[:n-1]
				}
			case "cm":
				if need(6) {
					st.ctm = affine{num(0), num(1), num(2), num(3), num(4), num(5)}.then(st.ctm)
				}
			case "m":
				if need(2) {
					st.cx, st.cy, st.sx, st.sy = num(0), num(1), num(0), num(1)
				}
			case "l":
				if need(2) {
					lineTo(num(0), num(1))
				}
			case "c":
				if need(6) {
					st.cx, st.cy = num(4), num(5)
				}
			case "v", "y":
				if need(4) {
					st.cx, st.cy = num(2), num(3)
				}
			case "h":
				lineTo(st.sx, st.sy)
			case "re":
				if need(4) {
					addRect(num(0), num(1), num(2), num(3))
					st.cx, st.cy, st.sx, st.sy = num(0), num(1), num(0), num(1)
				}
			case "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n":
				// Painted or clipping paths alike: WPS marks each cell with a
				// clip box ("re W n") and draws borders separately.
				segs = append(segs, st.path...)
				st.path = st.path[:0]
			case "BT":
				st.tm, st.tlm, st.inText = identity, identity, true
			case "ET":
				st.inText = false
			case "Tf":
				if len(args) >= 2 {
					name := args[len(args)-2].Name()
					f, ok := fonts[name]
					if !ok {
						f = loadFont(resources, name)
						fonts[name] = f
					}
					st.font, st.size = f, args[len(args)-1].Float64()
				}
			case "Tc":
				if need(1) {
					st.tc = num(0)
				}
			case "Tw":
				if need(1) {
					st.tw = num(0)
				}
			case "Tz":
				if need(1) {
					st.th = num(0) / 100
				}
			case "TL":
				if need(1) {
					st.tl = num(0)
				}
			case "Ts":
				if need(1) {
					st.rise = num(0)
				}
			case "Td":
				if need(2) {
					nextLine(num(0), num(1))
				}
			case "TD":
				if need(2) {
					st.tl = -num(1)
					nextLine(num(0), num(1))
				}
			case "Tm":
				if need(6) {
					st.tm = affine{num(0), num(1), num(2), num(3), num(4), num(5)}
					st.tlm = st.tm
				}
			case "T*":
				nextLine(0, -st.tl)
			case "Tj":
				if len(args) >= 1 {
					show(args[len(args)-1].RawString())
				}
			case "'":
				if len(args) >= 1 {
					nextLine(0, -st.tl)
					show(args[len(args)-1].RawString())
				}
			case "\"":
				if len(args) >= 3 {
					st.tw, st.tc = args[len(args)-3].Float64(), args[len(args)-2].Float64()
					nextLine(0, -st.tl)
					show(args[len(args)-1].RawString())
				}
			case "TJ":
				if len(args) >= 1 {
					arr := args[len(args)-1]
					for i := 0; i < arr.Len() && i < 100_000; i++ {
						el := arr.Index(i)
						if el.Kind() == pdf.String {
							show(el.RawString())
							continue
						}
						tx := -el.Float64() / 1000 * st.size * st.th
						st.tm = affine{1, 0, 0, 1, tx, 0}.then(st.tm)
					}
				}
			case "Do":
				if len(args) < 1 || args[len(args)-1].Kind() != pdf.Name {
					return
				}
				xo := resources.Key("XObject").Key(args[len(args)-1].Name())
				switch xo.Key("Subtype").Name() {
				case "Image":
					images++
				case "Form":
					if depth >= 8 {
						return
					}
					saved := st
					if m := xo.Key("Matrix"); m.Len() == 6 {
						st.ctm = affine{m.Index(0).Float64(), m.Index(1).Float64(), m.Index(2).Float64(),
							m.Index(3).Float64(), m.Index(4).Float64(), m.Index(5).Float64()}.then(st.ctm)
					}
					res := xo.Key("Resources")
					if res.IsNull() {
						res = resources
					}
					run(xo, res, depth+1)
					path := st.path
					st = saved
					st.path = path
				}
			}
		})
	}
	run(pg.V.Key("Contents"), inherited(pg.V, "Resources"), 0)
	return glyphs, segs, images
}

// pdfFont is what the text interpreter needs of a font: how to cut a
// string into character codes, each code's width and its Unicode text.
type pdfFont struct {
	enc pdf.TextEncoding
	// codeLen: 1 for simple fonts, 2 for Identity and UCS-2 CMaps, 0 for
	// the EUC-style CMaps (one byte below 0x80, two from 0x81).
	codeLen int
	simple  pdf.Font
	cidW    map[int]float64
	dw      float64
	// opaque: a composite font whose codes the library cannot map to
	// Unicode; its text must not be trusted (a raw code byte can look
	// like an ASCII digit).
	opaque bool
}

func loadFont(resources pdf.Value, name string) *pdfFont {
	f := pdf.Font{V: resources.Key("Font").Key(name)}
	pf := &pdfFont{simple: f, codeLen: 1, dw: 1000}
	pf.enc = f.Encoder()
	if f.V.Key("Subtype").Name() != "Type0" {
		if fmt.Sprintf("%T", pf.enc) == "*pdf.nopEncoder" {
			pf.opaque = true
		}
		return pf
	}
	pf.codeLen = 2
	encName := f.V.Key("Encoding").Name()
	switch {
	case encName == "Identity-H" || encName == "Identity-V" || encName == "UniGB-UCS2-H" || encName == "UniGB-UTF16-H":
	case encName == "" && f.V.Key("ToUnicode").Kind() == pdf.Stream:
	default:
		pf.codeLen = 0
		pf.opaque = true
	}
	if fmt.Sprintf("%T", pf.enc) == "*pdf.nopEncoder" {
		pf.opaque = true
	}
	desc := f.V.Key("DescendantFonts").Index(0)
	if dw := desc.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
		pf.dw = dw.Float64()
	}
	pf.cidW = map[int]float64{}
	w := desc.Key("W")
	for i := 0; i < w.Len() && len(pf.cidW) < 65536; {
		first := int(w.Index(i).Int64())
		next := w.Index(i + 1)
		if next.Kind() == pdf.Array {
			for k := 0; k < next.Len() && len(pf.cidW) < 65536; k++ {
				pf.cidW[first+k] = next.Index(k).Float64()
			}
			i += 2
			continue
		}
		last := int(next.Int64())
		width := w.Index(i + 2).Float64()
		for c := first; c <= last && c-first < 65536 && len(pf.cidW) < 65536; c++ {
			pf.cidW[c] = width
		}
		i += 3
	}
	return pf
}

// split cuts a shown string into character codes.
func (f *pdfFont) split(raw string) []string {
	var out []string
	for i := 0; i < len(raw); {
		n := f.codeLen
		if n == 0 {
			n = 1
			if raw[i] >= 0x81 {
				n = 2
			}
		}
		if i+n > len(raw) {
			n = len(raw) - i
		}
		out = append(out, raw[i:i+n])
		i += n
	}
	return out
}

// width is the code's advance in thousandths of the font size.
func (f *pdfFont) width(code string) float64 {
	if f.codeLen == 1 {
		w := f.simple.Width(int(code[0]))
		if w == 0 {
			w = 500 // a standard font without Widths: a guess for spacing only
		}
		return w
	}
	c := 0
	for i := 0; i < len(code); i++ {
		c = c<<8 | int(code[i])
	}
	if w, ok := f.cidW[c]; ok {
		return w
	}
	return f.dw
}

// decode returns the code's text; "?" for a font whose codes cannot be
// mapped, so that no guessed character reaches a number.
func (f *pdfFont) decode(code string) string {
	if f.opaque {
		return "?"
	}
	return f.enc.Decode(code)
}
