package listview

// Selection is the set of selected downloads, with the anchor that
// Shift+click extends from, as in a file manager. Its methods take the IDs
// as shown, in order, because a range is a range of visible rows.
type Selection struct {
	set    map[string]bool
	anchor string
}

// Click selects only id and makes it the anchor.
func (s *Selection) Click(id string) {
	s.set = map[string]bool{id: true}
	s.anchor = id
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
	s.anchor = id
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
func (s *Selection) Clear() { s.set, s.anchor = nil, "" }

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
