package query

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"time"

	"gongkai"
)

// The parent and a worker talk over two pipes in frames: a 4-byte
// big-endian length, then one gob-encoded message. The parent checks a
// frame's length before it allocates, so no answer can make it hold more
// than its cap.

// mode is what a request asks the worker to send back.
type mode int

const (
	modeRows   mode = iota // one frame: columns, types, rows
	modeArrow              // Arrow IPC stream frames, capped like rows
	modeExport             // Arrow IPC stream frames, no row cap
)

// request is one statement for a worker.
type request struct {
	Mode        mode
	DB          string // the store file; the worker opens it read-only
	SQL         string
	Timeout     time.Duration
	MaxRows     int
	MaxAnswer   int64 // bytes; 0 = none (export)
	MemoryLimit string
	Threads     int
}

// frame is one message from a worker. The last frame of an answer has
// Done set, and Err when the statement failed.
type frame struct {
	Ready     bool // the first frame of a new worker
	Isolated  bool // with Ready: the worker sees the store only at NeutralPath
	Columns   []string
	Types     []string
	Rows      [][]value
	Data      []byte // a piece of an Arrow IPC stream
	Truncated bool
	Done      bool
	Err       *wireError
}

// wireError is an error that crossed the pipe: its kind (a sentinel the
// parent restores), its message and hint.
type wireError struct {
	Kind string
	Msg  string
	Hint string
}

// kinds are the sentinels an error may carry across the pipe.
var kinds = []struct {
	name string
	err  error
}{
	{"refused", gongkai.ErrRefused},
	{"bad", ErrBadQuery},
	{"timeout", ErrTimeout},
	{"memory", ErrTooLarge},
	{"busy", gongkai.ErrDatabaseBusy},
	{"usage", gongkai.ErrUsage},
	{"notfound", gongkai.ErrNotFound},
}

func toWire(err error) *wireError {
	w := &wireError{Kind: "other", Msg: err.Error(), Hint: gongkai.HintOf(err)}
	var ge *gongkai.Error
	if errors.As(err, &ge) && ge.Err != nil {
		w.Msg = ge.Err.Error()
	}
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			w.Kind = k.name
			break
		}
	}
	return w
}

// remoteError is an error restored from the pipe: its message as the
// worker wrote it, unwrapping to its kind's sentinel.
type remoteError struct {
	kind error
	msg  string
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.kind }

func (w *wireError) err() error {
	var kind error
	for _, k := range kinds {
		if k.name == w.Kind {
			kind = k.err
		}
	}
	return &gongkai.Error{Op: "query", Err: &remoteError{kind: kind, msg: w.Msg}, Hint: w.Hint}
}

// value is one plain value (see store.Store.Query) on the wire.
type value struct {
	K byte
	I int64
	F float64
	S string
	B []byte
	T time.Time
	L []value
	M map[string]value
}

const (
	kNull byte = iota
	kBool
	kInt
	kFloat
	kString
	kBytes
	kTime
	kNum
	kList
	kMap
	kNullNum
)

func toValue(v any) value {
	switch x := v.(type) {
	case nil:
		return value{K: kNull}
	case bool:
		if x {
			return value{K: kBool, I: 1}
		}
		return value{K: kBool}
	case int64:
		return value{K: kInt, I: x}
	case float64:
		return value{K: kFloat, F: x}
	case string:
		return value{K: kString, S: x}
	case []byte:
		return value{K: kBytes, B: x}
	case time.Time:
		return value{K: kTime, T: x}
	case gongkai.Num:
		if !x.Valid() {
			return value{K: kNullNum}
		}
		return value{K: kNum, I: x.Micros()}
	case []any:
		l := make([]value, len(x))
		for i, e := range x {
			l[i] = toValue(e)
		}
		return value{K: kList, L: l}
	case map[string]any:
		m := make(map[string]value, len(x))
		for k, e := range x {
			m[k] = toValue(e)
		}
		return value{K: kMap, M: m}
	}
	return value{K: kString, S: fmt.Sprint(v)}
}

func (v value) plain() any {
	switch v.K {
	case kBool:
		return v.I == 1
	case kInt:
		return v.I
	case kFloat:
		return v.F
	case kString:
		return v.S
	case kBytes:
		if v.B == nil {
			return []byte{}
		}
		return v.B
	case kTime:
		return v.T
	case kNum:
		return gongkai.FromMicros(v.I)
	case kNullNum:
		return gongkai.Null
	case kList:
		l := make([]any, len(v.L))
		for i, e := range v.L {
			l[i] = e.plain()
		}
		return l
	case kMap:
		m := make(map[string]any, len(v.M))
		for k, e := range v.M {
			m[k] = e.plain()
		}
		return m
	}
	return nil
}

// writeFrame encodes f (a *frame or *request) and writes it as one frame.
func writeFrame(w io.Writer, f any) error {
	var buf bytes.Buffer
	buf.Write([]byte{0, 0, 0, 0})
	if err := gob.NewEncoder(&buf).Encode(f); err != nil {
		return err
	}
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b, uint32(len(b)-4))
	_, err := w.Write(b)
	return err
}

// errFrameTooLarge: a frame longer than the reader's cap.
var errFrameTooLarge = errors.New("answer frame over the cap")

// readFrame reads one frame of at most max bytes into v (a *frame or
// *request).
func readFrame(r io.Reader, max int64, v any) error {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return err
	}
	size := int64(binary.BigEndian.Uint32(n[:]))
	if size > max {
		return errFrameTooLarge
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		return err
	}
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(v); err != nil {
		return fmt.Errorf("decoding a frame: %w", err)
	}
	return nil
}

// frameWriter turns an Arrow IPC byte stream into Data frames of about
// chunk bytes each.
type frameWriter struct {
	w   io.Writer
	buf []byte
}

const chunk = 256 << 10

func (fw *frameWriter) Write(p []byte) (int, error) {
	fw.buf = append(fw.buf, p...)
	for len(fw.buf) >= chunk {
		if err := writeFrame(fw.w, &frame{Data: fw.buf[:chunk]}); err != nil {
			return 0, err
		}
		fw.buf = append([]byte(nil), fw.buf[chunk:]...)
	}
	return len(p), nil
}

func (fw *frameWriter) flush() error {
	if len(fw.buf) == 0 {
		return nil
	}
	err := writeFrame(fw.w, &frame{Data: fw.buf})
	fw.buf = nil
	return err
}
