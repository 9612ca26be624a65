package listview

// Selection is the set of selected downloads, with the anchor that
// Shift+click extends from, as in a file manager. Its methods take the IDs
// as shown, in order, because a range is a range of visible rows.
type Selection struct {
	set    map[string]bool
	anchor string
	cursor string // the row the keyboard moves from: the last one clicked or moved to
}

// Click selects only id and makes it the anchor.
func (s *Selection) Click(id string) {
	s.set = map[string]bool{id: true}
	s.anchor, s.cursor = id, id
}

// Toggle adds id to the selection or takes it out (Ctrl+click), and makes
// it the anchor.
func (s *Selection) Toggle(id string) {
	if s.set == nil {
		s.set = map[string]bool{}
	}
	if s.set[id] {
		delete(s.set, id)
	} else {
		s.set[id] = true
	}
	s.anchor, s.cursor = id, id
}

// Extend selects the rows from the anchor to id, inclusive (Shift+click).
// With no anchor on screen it acts as Click. The anchor stays, so a second
// Shift+click makes a new range from the same row.
func (s *Selection) Extend(id string, shown []string) {
	from, to := -1, -1
	for i, x := range shown {
		if x == s.anchor {
			from = i
		}
		if x == id {
			to = i
		}
	}
	if from < 0 || to < 0 {
		s.Click(id)
		return
	}
	if from > to {
		from, to = to, from
	}
	s.set = make(map[string]bool, to-from+1)
	for _, x := range shown[from : to+1] {
		s.set[x] = true
	}
	s.cursor = id
}

// Step moves the selection delta rows from the cursor, as Up and Down do
// (Page Up and Page Down with a larger delta), stopping at either end;
// with extend (Shift held) it selects the range from the anchor to the
// row reached instead. With no cursor on screen, Down starts at the first
// row and Up at the last. It returns the index of the row reached in
// shown, -1 if nothing is shown, so the list can scroll to it.
func (s *Selection) Step(delta int, shown []string, extend bool) int {
	if len(shown) == 0 {
		return -1
	}
	i := -1
	for j, x := range shown {
		if x == s.cursor {
			i = j
			break
		}
	}
	switch {
	case i < 0 && delta >= 0:
		i = 0
	case i < 0:
		i = len(shown) - 1
	default:
		i = min(max(i+delta, 0), len(shown)-1)
	}
	return s.Jump(i, shown, extend)
}

// Jump moves the selection to row i of shown (Home is 0, End the last),
// extending it from the anchor with extend, and returns i (clamped; -1
// if nothing is shown).
func (s *Selection) Jump(i int, shown []string, extend bool) int {
	if len(shown) == 0 {
		return -1
	}
	i = min(max(i, 0), len(shown)-1)
	if extend && s.anchor != "" {
		s.Extend(shown[i], shown)
	} else {
		s.Click(shown[i])
	}
	return i
}

// All selects every row shown (Ctrl+A).
func (s *Selection) All(shown []string) {
	s.set = make(map[string]bool, len(shown))
	for _, x := range shown {
		s.set[x] = true
	}
	if len(shown) > 0 && !s.set[s.anchor] {
		s.anchor = shown[0]
	}
}

// Clear selects nothing.
func (s *Selection) Clear() { s.set, s.anchor, s.cursor = nil, "", "" }

// Has reports whether id is selected.
func (s *Selection) Has(id string) bool { return s.set[id] }

// Len is the number of selected downloads.
func (s *Selection) Len() int { return len(s.set) }

// Keep drops from the selection every download not shown any more (removed,
// or hidden by the filter), so that an action never reaches a row the user
// cannot see.
func (s *Selection) Keep(shown []string) {
	if len(s.set) == 0 {
		return
	}
	visible := make(map[string]bool, len(shown))
	for _, x := range shown {
		visible[x] = true
	}
	for id := range s.set {
		if !visible[id] {
			delete(s.set, id)
		}
	}
	if !visible[s.anchor] {
		s.anchor = ""
	}
	if !visible[s.cursor] {
		s.cursor = ""
	}
}

// IDs returns the selected downloads in the order shown.
func (s *Selection) IDs(shown []string) []string {
	var out []string
	for _, x := range shown {
		if s.set[x] {
			out = append(out, x)
		}
	}
	return out
}
