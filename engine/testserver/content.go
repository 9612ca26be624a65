package testserver

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
)

// Content returns n pseudo-random bytes; the same seed gives the same
// bytes.
func Content(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 0x6861756c)) // "haul"
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8 && i+j < n; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// testImage draws a w×h gradient whose colours depend on seed.
func testImage(w, h int, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 0x696d67)) // "img"
	c0 := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
	c1 := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	mix := func(a, b uint8, t, n int) uint8 { return uint8((int(a)*(n-t) + int(b)*t) / n) }
	for y := range h {
		for x := range w {
			t, n := x+y, max(1, w+h-2)
			img.SetRGBA(x, y, color.RGBA{mix(c0.R, c1.R, t, n), mix(c0.G, c1.G, t, n), mix(c0.B, c1.B, t, n), 255})
		}
	}
	return img
}

// PNG returns a valid w×h PNG image (a gradient chosen by seed).
func PNG(w, h int, seed uint64) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, testImage(w, h, seed)); err != nil {
		panic("testserver: encode PNG: " + err.Error()) // cannot happen for an in-memory RGBA image
	}
	return buf.Bytes()
}

// JPEG returns a valid w×h JPEG image (a gradient chosen by seed).
func JPEG(w, h int, seed uint64) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(w, h, seed), &jpeg.Options{Quality: 85}); err != nil {
		panic("testserver: encode JPEG: " + err.Error()) // cannot happen for an in-memory RGBA image
	}
	return buf.Bytes()
}
