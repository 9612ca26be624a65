package gui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/haul-dl/haul/engine"
	"github.com/haul-dl/haul/gui/internal/listview"
)

// Preference keys.
const (
	prefMaxActive   = "max_active"
	prefConnections = "connections"
	prefRateKiB     = "rate_limit_kib"
	prefDir         = "download_dir"
	prefCACertFile  = "ca_cert_file"
	prefSortOrder   = "sort_order"
	prefByKind      = "folders_by_kind"
	prefCompact     = "compact_list"
)

// maxRateKiB is the highest speed limit a user may choose: 10 GiB/s;
// more is "unlimited". The other limits are the engine's.
const maxRateKiB = 10 << 20

// settings are the user's choices, kept in Fyne's preferences.
type settings struct {
	MaxActive    int            // downloads at once
	Connections  int            // connections per download
	RateLimitKiB int            // total speed cap in KiB/s; 0 = unlimited
	Dir          string         // default download folder
	CACertFile   string         // extra PEM CA bundle trusted besides the system roots; "" for none
	Order        listview.Order // how the list is sorted
	ByKind       bool           // new downloads go to a folder of their kind under Dir
	Compact      bool           // one line per download in the list
}

// loadSettings reads the settings, with Haul's defaults for what was
// never saved and defaultDir as the folder.
func loadSettings(p fyne.Preferences, defaultDir string) settings {
	s := settings{
		MaxActive:    p.IntWithFallback(prefMaxActive, engine.DefaultMaxActive),
		Connections:  p.IntWithFallback(prefConnections, engine.DefaultConnections),
		RateLimitKiB: p.IntWithFallback(prefRateKiB, 0),
		Dir:          p.StringWithFallback(prefDir, defaultDir),
		CACertFile:   p.StringWithFallback(prefCACertFile, ""),
		Order:        listview.ParseOrder(p.StringWithFallback(prefSortOrder, "")),
		ByKind:       p.BoolWithFallback(prefByKind, false),
		Compact:      p.BoolWithFallback(prefCompact, true),
	}
	if s.MaxActive < 1 || s.MaxActive > engine.MaxMaxActive {
		s.MaxActive = engine.DefaultMaxActive
	}
	if s.Connections < 1 || s.Connections > engine.MaxConnections {
		s.Connections = engine.DefaultConnections
	}
	if s.RateLimitKiB < 0 || s.RateLimitKiB > maxRateKiB {
		s.RateLimitKiB = 0
	}
	if s.Dir == "" {
		s.Dir = defaultDir
	}
	return s
}

func (s settings) save(p fyne.Preferences) {
	// Only what differs from what is stored (or from the default) is
	// written: every change rewrites Fyne's preferences file, and changes
	// close together can make its file watcher read the file half written
	// ("Preferences load error: EOF").
	was := loadSettings(p, "")
	if s.MaxActive != was.MaxActive {
		p.SetInt(prefMaxActive, s.MaxActive)
	}
	if s.Connections != was.Connections {
		p.SetInt(prefConnections, s.Connections)
	}
	if s.RateLimitKiB != was.RateLimitKiB {
		p.SetInt(prefRateKiB, s.RateLimitKiB)
	}
	if s.Dir != was.Dir {
		p.SetString(prefDir, s.Dir)
	}
	if s.CACertFile != was.CACertFile {
		p.SetString(prefCACertFile, s.CACertFile)
	}
	if s.Order != was.Order {
		p.SetString(prefSortOrder, s.Order.String())
	}
	if s.ByKind != was.ByKind {
		p.SetBool(prefByKind, s.ByKind)
	}
	if s.Compact != was.Compact {
		p.SetBool(prefCompact, s.Compact)
	}
}

// engineOptions are the settings as options to open the engine with.
func (s settings) engineOptions(stateDir string) engine.Options {
	return engine.Options{
		StateDir:      stateDir,
		DefaultDir:    s.Dir,
		MaxActive:     s.MaxActive,
		Connections:   s.Connections,
		RateLimit:     int64(s.RateLimitKiB) * 1024,
		CACertFile:    s.CACertFile,
		FoldersByKind: s.ByKind,
	}
}

// settingsDialog edits the settings; Save applies them at once.
type settingsDialog struct {
	dlg         *dialog.CustomDialog
	maxActive   *widget.Entry
	connections *widget.Entry
	limit       *widget.Check
	limitKiB    *widget.Entry
	dir         *widget.Entry
	browse      *widget.Button
	caFile      *widget.Entry
	caBrowse    *widget.Button
	caClear     *widget.Button
	byKind      *widget.Check
	compact     *widget.Check
	problem     *widget.Label
	saveBtn     *widget.Button
	cancelBtn   *widget.Button
	tabs        *container.AppTabs // General, and Schedule & desktop where there is a desktop
	desk        *desktopPane       // the Schedule & desktop tab; nil without one
}

// intValidator accepts a whole number from lo to hi.
func intValidator(lo, hi int) fyne.StringValidator {
	return func(s string) error {
		_, err := parseInt(s, lo, hi)
		return err
	}
}

func parseInt(s string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("enter a whole number from %d to %d", lo, hi)
	}
	return n, nil
}

// showSettings opens the settings dialog. UI goroutine only.
func (u *UI) showSettings() {
	d := u.newSettingsDialog(false)
	win := u.win.Canvas().Size()
	// As big as what it holds, the folder fields a little wider.
	size := fyne.NewSize(max(d.dlg.MinSize().Width, settingsWidth), d.dlg.MinSize().Height)
	if size.Width > win.Width {
		// Too narrow a window for the labels beside the fields (the
		// schedule's rows of days and times are wide): the labels go above
		// the fields, and the tabs, taller then, scroll.
		d = u.newSettingsDialog(true)
		size = fyne.NewSize(min(max(d.dlg.MinSize().Width, settingsWidth), win.Width), win.Height-2*theme.Padding())
	}
	d.dlg.SetOnClosed(func() {
		if u.setDlg == d {
			u.setDlg = nil
		}
	})
	u.setDlg = d
	d.dlg.Resize(size)
	d.dlg.Show()
}

// newSettingsDialog builds the settings dialog from u's settings, its
// labels above its fields and its tabs scrolling if narrow.
func (u *UI) newSettingsDialog(narrow bool) *settingsDialog {
	d := &settingsDialog{}
	d.maxActive = widget.NewEntry()
	d.maxActive.SetText(strconv.Itoa(u.set.MaxActive))
	d.maxActive.Validator = intValidator(1, engine.MaxMaxActive)
	d.connections = widget.NewEntry()
	d.connections.SetText(strconv.Itoa(u.set.Connections))
	d.connections.Validator = intValidator(1, engine.MaxConnections)
	d.limitKiB = widget.NewEntry()
	d.limitKiB.SetPlaceHolder("KiB/s")
	d.limitKiB.Validator = intValidator(1, maxRateKiB)
	d.limit = widget.NewCheck("Limit total speed to", func(on bool) { setEnabled(d.limitKiB, on) })
	if u.set.RateLimitKiB > 0 {
		d.limitKiB.SetText(strconv.Itoa(u.set.RateLimitKiB))
		d.limit.SetChecked(true)
	} else {
		d.limitKiB.SetText("1024")
		d.limitKiB.Disable()
	}
	d.dir = widget.NewEntry()
	d.dir.SetText(u.set.Dir)
	d.browse = widget.NewButton("Browse…", func() { u.pickFolder(d.dir) })
	d.caFile = widget.NewEntry()
	d.caFile.SetPlaceHolder("None")
	d.caFile.SetText(u.set.CACertFile)
	d.caBrowse = widget.NewButton("Browse…", func() { u.pickFile(d.caFile, caExtensions) })
	d.byKind = widget.NewCheck("Sort new downloads into folders by kind", nil)
	d.byKind.SetChecked(u.set.ByKind)
	d.compact = widget.NewCheck("Compact list: one line per download", nil)
	d.compact.SetChecked(u.set.Compact)
	d.caClear = widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), func() { d.caFile.SetText("") })
	d.caFile.OnChanged = func(text string) { setEnabled(d.caClear, text != "") }
	setEnabled(d.caClear, d.caFile.Text != "")
	caNote := widget.NewLabel(caNoteText)
	caNote.SizeName = theme.SizeNameCaptionText
	kindNote := widget.NewLabel(kindNoteText)
	kindNote.SizeName = theme.SizeNameCaptionText
	d.problem = widget.NewLabel("")
	d.problem.Importance = widget.DangerImportance
	d.problem.Wrapping = fyne.TextWrapWord
	d.problem.Hide()
	if u.caErr != nil {
		d.showProblem(fmt.Errorf("Extra CA certificates: %w", u.caErr))
	}

	form := widget.NewForm(
		widget.NewFormItem("Downloads at once", numberField(d.maxActive)),
		widget.NewFormItem("Connections per download", numberField(d.connections)),
		widget.NewFormItem("Speed", container.NewHBox(d.limit, numberField(d.limitKiB), widget.NewLabel("KiB/s"))),
		widget.NewFormItem("Download folder", container.NewBorder(nil, nil, nil, d.browse, d.dir)),
		widget.NewFormItem("", container.New(layout.NewCustomPaddedVBoxLayout(0), d.byKind, kindNote)),
		widget.NewFormItem("List", d.compact),
		widget.NewFormItem("Extra CA certificates", container.New(layout.NewCustomPaddedVBoxLayout(0),
			container.NewBorder(nil, nil, nil, container.NewHBox(d.caBrowse, d.caClear), d.caFile),
			caNote)),
	)
	form.Append("Remote downloaders", container.NewHBox(widget.NewButtonWithIcon("Remote downloaders…", theme.StorageIcon(), u.showRemotes)))
	page := func(f *widget.Form) fyne.CanvasObject {
		if !narrow {
			return tabPage(f)
		}
		f.Orientation = widget.Vertical
		// The scroll bar is drawn over the content: keep the fields clear of it.
		clear := layout.NewCustomPaddedLayout(2*theme.Padding(), 0, 0, 2*theme.Padding()+theme.ScrollBarSize())
		return newWheelVScroll(container.New(clear, f))
	}
	d.tabs = container.NewAppTabs(container.NewTabItem("General", page(form)))
	if u.desk != nil { // the schedule, the tray and the clipboard: a tab of their own
		d.desk = u.newDesktopPane()
		d.tabs.Append(container.NewTabItem("Schedule & desktop", page(d.desk.content())))
	}
	d.cancelBtn = widget.NewButton("Cancel", func() { d.dlg.Hide() })
	d.saveBtn = widget.NewButton("Save", func() { u.saveSettings(d) })
	d.saveBtn.Importance = widget.HighImportance
	// The tabs take the height the dialog has (a narrow one scrolls them).
	d.dlg = dialog.NewCustomWithoutButtons("Settings", container.NewBorder(nil, d.problem, nil, nil, d.tabs), u.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancelBtn, d.saveBtn})
	return d
}

// caNoteText explains the extra CA certificates setting, kindNoteText
// the folders by kind.
const (
	caNoteText   = "For your own servers' certificates. Certificates are always verified."
	kindNoteText = "Images, Videos, Music, Archives, Documents, Programs, Other"
)

// settingsWidth is the width of the settings dialog when what it holds
// needs less: room for a folder's path.
const settingsWidth = 560

// numberField lays out an entry for a small number: as wide as a few
// digits, not the whole line.
func numberField(e *widget.Entry) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(88, e.MinSize().Height), e)
}

// caExtensions are the names of PEM files the file picker offers.
var caExtensions = []string{".pem", ".crt", ".cer"}

func (d *settingsDialog) showProblem(err error) {
	d.problem.SetText(err.Error())
	d.problem.Show()
}

// saveSettings applies and saves what the dialog holds, or shows what is
// wrong with it. The engine checks an extra CA file (it reads it, so on
// the worker) before anything is saved: the dialog waits for its answer
// and stays open if the file is refused. UI goroutine only.
func (u *UI) saveSettings(d *settingsDialog) {
	s, err := d.read(u.set)
	if d.desk != nil {
		plan, desk, perr := d.desk.read()
		if perr != nil && err == nil {
			d.tabs.SelectIndex(1) // the only problem is on the schedule tab: show it
		}
		if err = errors.Join(err, perr); err == nil {
			u.applyDesktopPane(plan, desk) // the CA file below concerns only the General tab
		}
	}
	if err != nil {
		d.showProblem(err)
		return
	}
	if s.CACertFile == "" && u.set.CACertFile == "" {
		d.dlg.Hide()
		u.applySettings(s)
		return
	}
	// Applied again even when unchanged: the file may have been fixed
	// since it was refused at start, or replaced with a newer bundle.
	d.saveBtn.Disable()
	d.cancelBtn.Disable()
	apply := u.engineSettings(s)
	u.enqueue(func() {
		err := u.m.SetCACertFile(s.CACertFile)
		if err == nil {
			apply() // in this job: before any add asked for meanwhile
		}
		u.post(func() {
			d.saveBtn.Enable()
			d.cancelBtn.Enable()
			if err != nil {
				d.showProblem(fmt.Errorf("Extra CA certificates: %w", err))
				return
			}
			u.caErr = nil
			d.dlg.Hide()
			u.keepSettings(s)
		})
	})
}

// caStartFailed tells the user that the extra CA file saved in the
// settings could not be loaded at start, so Haul runs without it. UI
// goroutine only.
func (u *UI) caStartFailed(err error) {
	u.caErr = err
	dialog.ShowInformation("Extra CA certificates not loaded",
		fmt.Sprintf("The file of extra CA certificates named in Settings could not be used:\n%s\n\nUntil it is fixed there, only the system's certificate authorities are trusted.", err), u.win)
}

// read returns the settings the dialog holds, or what is wrong with them.
func (d *settingsDialog) read(old settings) (settings, error) {
	s := old
	s.ByKind = d.byKind.Checked
	s.Compact = d.compact.Checked
	var errs []error
	var err error
	if s.MaxActive, err = parseInt(d.maxActive.Text, 1, engine.MaxMaxActive); err != nil {
		errs = append(errs, fmt.Errorf("Downloads at once: %w", err))
	}
	if s.Connections, err = parseInt(d.connections.Text, 1, engine.MaxConnections); err != nil {
		errs = append(errs, fmt.Errorf("Connections per download: %w", err))
	}
	s.RateLimitKiB = 0
	if d.limit.Checked {
		if s.RateLimitKiB, err = parseInt(d.limitKiB.Text, 1, maxRateKiB); err != nil {
			errs = append(errs, fmt.Errorf("Speed limit: %w", err))
		}
	}
	if s.Dir = strings.TrimSpace(d.dir.Text); s.Dir == "" {
		errs = append(errs, errors.New("Download folder: choose a folder"))
	}
	if s.CACertFile = strings.TrimSpace(d.caFile.Text); s.CACertFile != "" {
		// Saved for later starts, which may run in another folder.
		if abs, err := filepath.Abs(s.CACertFile); err == nil {
			s.CACertFile = abs
		}
	}
	return s, errors.Join(errs...)
}

// applySettings saves s and applies it to the engine at once, before
// any add asked for after it (see addJob). UI goroutine only.
func (u *UI) applySettings(s settings) {
	u.enqueue(u.engineSettings(s))
	u.keepSettings(s)
}

// engineSettings is the engine call that applies s, for the worker. UI
// goroutine only.
func (u *UI) engineSettings(s settings) func() {
	rate := int64(s.RateLimitKiB) << 10 // the engine's schedule may hold a limit of its own
	return func() {
		u.m.SetConnections(s.Connections)
		u.m.SetRateLimit(rate)
		u.m.SetMaxActive(s.MaxActive)
		u.m.SetFoldersByKind(s.ByKind)
	}
}

// keepSettings makes s the window's settings and saves them. UI
// goroutine only.
func (u *UI) keepSettings(s settings) {
	u.set = s
	s.save(u.app.Preferences())
	u.dl.setCompact(s.Compact)
	u.showSummary()
}

// tabPage keeps a tab's fields clear of the tab bar: without it the
// first field's border touches the bar's underline.
func tabPage(content fyne.CanvasObject) fyne.CanvasObject {
	return container.New(layout.NewCustomPaddedLayout(2*theme.Padding(), 0, 0, 0), content)
}
