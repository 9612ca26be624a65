package main

import (
	"context"
	"testing"
	"time"
)

// TestNoLocaleNoiseOnCUTF8 checks that Fyne's start-up does not complain
// about the C.UTF-8 locale (common in containers) on every haul command.
func TestNoLocaleNoiseOnCUTF8(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd, out, errs := haulCmd(t, ctx, "version")
	cmd.Env = append(cmd.Env, "LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=")
	if err := cmd.Run(); err != nil {
		t.Fatalf("haul version: %v\n%s", err, errs)
	}
	if errs.Len() != 0 {
		t.Errorf("stderr is not empty:\n%s", errs)
	}
	if out.Len() == 0 {
		t.Error("no version printed")
	}
}
