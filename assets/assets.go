// Package assets holds the files built into Haul, such as its icon.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is Haul's application icon (512×512 PNG, drawn in icon.svg).
var Icon fyne.Resource = fyne.NewStaticResource("icon.png", iconPNG)
