package ingest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzWalkZip feeds arbitrary bytes as a .zip archive: the walk must never
// panic or hang, and every member it reads stays within the size limit.
func FuzzWalkZip(f *testing.F) {
	inner := zipOf(f, member{name: "a.json", data: []byte(`{"x":1}`)})
	f.Add(zipOf(f, member{name: "r/1.txt", data: []byte("一、总体情况")}, member{name: "in.zip", data: inner}))
	f.Add(zipOf(f, member{name: gbk(f, "泽库镇.txt"), data: []byte("x"), nonUTF: true}))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.zip")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		const limit = 1 << 16
		err := walk(context.Background(), []string{p}, limit, func(d doc) error {
			if d.read == nil {
				if d.err == nil {
					t.Errorf("%s: neither readable nor failed", d.name)
				}
				return nil
			}
			b, err := d.read(limit)
			if err == nil && len(b) > limit {
				t.Errorf("%s: read %d bytes past the limit", d.name, len(b))
			}
			return nil
		})
		if err != nil {
			t.Errorf("walk: %v", err)
		}
	})
}

func TestWalkMissingAndOrder(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b/2.txt", "a/1.txt", "a/.x/3.txt", "c.truth.json", "d.txt"} {
		write(t, filepath.Join(dir, n), []byte("x"))
	}
	var got []string
	err := walk(t.Context(), []string{dir, filepath.Join(dir, "nope"), filepath.Join(dir, "c.truth.json")}, 100, func(d doc) error {
		rel, _ := filepath.Rel(dir, d.name)
		if d.err != nil {
			rel += " (error)"
		}
		if d.explicit {
			rel += " (explicit)"
		}
		got = append(got, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a/1.txt", "b/2.txt", "d.txt", "nope (error) (explicit)", "c.truth.json (explicit)"}
	if len(got) != len(want) {
		t.Fatalf("walked %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("walked %q, want %q", got, want)
			break
		}
	}
}

// readLimited gives the bytes whatever size the file claims (right,
// unknown, too small, too large), refuses more than the limit, and with a
// right size makes its room once.
func TestReadLimited(t *testing.T) {
	data := []byte(strings.Repeat("年度报告\t0\n", 3000)) // 39,000 bytes
	n := int64(len(data))
	for _, c := range []struct {
		name        string
		limit, size int64
		tooLarge    bool
	}{
		{"right size", 1 << 20, n, false},
		{"unknown size", 1 << 20, 0, false},
		{"claims less", 1 << 20, n / 10, false},
		{"claims more", 1 << 20, 10 * n, false},
		{"claims more than the limit", n, 1 << 40, false},
		{"at the limit", n, n, false},
		{"over the limit, size right", n - 1, n, true},
		{"over the limit, size unknown", n - 1, 0, true},
		{"over the limit, claims less", n - 1, 10, true},
	} {
		got, err := readLimited(bytes.NewReader(data), c.limit, c.size)
		if c.tooLarge {
			if !errors.Is(err, errFileTooLarge) {
				t.Errorf("%s: err %v, want errFileTooLarge", c.name, err)
			}
			continue
		}
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: %d bytes, %v; want the %d bytes", c.name, len(got), err, n)
		}
		if c.size == n && cap(got) != len(data)+bytes.MinRead {
			t.Errorf("%s: capacity %d, want the one allocation of %d", c.name, cap(got), len(data)+bytes.MinRead)
		}
	}
}
