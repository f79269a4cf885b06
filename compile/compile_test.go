package compile

import (
	"testing"

	"gongkai/division"
)

func TestExpectedTownships(t *testing.T) {
	res := division.Default()
	d, _ := res.Lookup("371003")
	c := &Compilation{Year: 2023, Division: d, Bodies: []Body{
		{Organization: "威海市文登区泽库镇人民政府", DivisionCode: "371003104", Township: "泽库镇"},
		{Organization: "文登区教育和体育局", DivisionCode: "371003"},
	}}
	c.AddExpectedTownships(res)
	kids := res.Children("371003")
	if len(c.Missing) != len(kids)-1 {
		t.Errorf("missing %d, want %d (all townships but 泽库镇)", len(c.Missing), len(kids)-1)
	}
	for _, m := range c.Missing {
		if m.Township == "泽库镇" {
			t.Errorf("泽库镇 reported but listed missing")
		}
		if m.Note == "" || m.BodyType == "" {
			t.Errorf("missing township without note or type: %+v", m)
		}
	}
	// Only a county lists its townships.
	city, _ := res.Lookup("371000")
	c = &Compilation{Year: 2023, Division: city}
	c.AddExpectedTownships(res)
	if len(c.Missing) != 0 {
		t.Errorf("city compile lists %d townships", len(c.Missing))
	}
}
