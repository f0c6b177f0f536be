package beifen

// Attr is one attribute exactly as a phone export wrote it. A missing attribute is absent from the
// list, an empty one has Value "", and the literal "null" many exports write stays "null": three
// states that a restore gives back as they came.
type Attr struct {
	Name  string `json:"n"`
	Value string `json:"v"`
}

// Attrs is an ordered list of attributes.
type Attrs []Attr

// Get returns the value of the first attribute called name and whether it is present.
func (a Attrs) Get(name string) (string, bool) {
	for _, at := range a {
		if at.Name == name {
			return at.Value, true
		}
	}
	return "", false
}

// Value returns the value of the attribute called name, or "" when it is absent or the literal
// "null" (which exports write to mean absent).
func (a Attrs) Value(name string) string {
	v, _ := a.Get(name)
	if v == "null" {
		return ""
	}
	return v
}

// Set replaces the value of the attribute called name, or appends it.
func (a *Attrs) Set(name, value string) {
	for i := range *a {
		if (*a)[i].Name == name {
			(*a)[i].Value = value
			return
		}
	}
	*a = append(*a, Attr{Name: name, Value: value})
}
