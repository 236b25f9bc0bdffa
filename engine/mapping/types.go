package mapping

// staticType is what the compiler knows of a reference's Java type, to reject a method the type does
// not have when the template is compiled.
type staticType uint8

const (
	tUnknown staticType = iota
	tString
	tInt
	tBool
	tList
	tMap
)

func staticTypeName(t staticType) string {
	switch t {
	case tString:
		return "String"
	case tInt:
		return "Integer"
	case tBool:
		return "Boolean"
	case tList:
		return "List"
	case tMap:
		return "Map"
	}
	return "Object"
}

func staticRootType(r *ref) staticType {
	switch r.root {
	case rootContext:
		if r.name != "" {
			return tString
		}
	case rootStage:
		if r.name != "" {
			return tString
		}
		return tMap
	}
	return tUnknown
}

// staticBuiltinType is the type of $input.x or $util.x.
func staticBuiltinType(root rootKind, m *mod) staticType {
	if root == rootUtil {
		if m.name == "parseJson" {
			return tUnknown
		}
		return tString
	}
	switch m.name {
	case "body", "json":
		return tString
	case "params":
		if len(m.args) == 0 {
			return tMap
		}
		return tString
	}
	return tUnknown
}

// methods lists the methods of each type with the argument counts they take.
var methods = map[staticType]map[string][]int{
	tString: {
		"length": {0}, "isEmpty": {0}, "contains": {1}, "substring": {1, 2}, "indexOf": {1, 2},
		"lastIndexOf": {1, 2}, "replace": {2}, "replaceAll": {2}, "replaceFirst": {2}, "split": {1, 2},
		"toLowerCase": {0}, "toUpperCase": {0}, "trim": {0}, "equals": {1}, "equalsIgnoreCase": {1},
		"startsWith": {1, 2}, "endsWith": {1}, "charAt": {1}, "matches": {1}, "toString": {0},
		"hashCode": {0}, "concat": {1}, "compareTo": {1}, "getBytes": {0},
	},
	tList: {
		"size": {0}, "isEmpty": {0}, "get": {1}, "contains": {1}, "add": {1, 2}, "remove": {1},
		"indexOf": {1}, "lastIndexOf": {1}, "set": {2}, "addAll": {1}, "clear": {0}, "toString": {0},
		"equals": {1}, "subList": {2}, "containsAll": {1}, "hashCode": {0}, "count": {0},
	},
	tMap: {
		"get": {1}, "put": {2}, "containsKey": {1}, "containsValue": {1}, "keySet": {0}, "values": {0},
		"entrySet": {0}, "size": {0}, "isEmpty": {0}, "remove": {1}, "putAll": {1}, "clear": {0},
		"toString": {0}, "equals": {1}, "getOrDefault": {2}, "count": {0},
	},
	tInt: {
		"toString": {0}, "equals": {1}, "hashCode": {0}, "intValue": {0}, "longValue": {0},
		"doubleValue": {0}, "compareTo": {1},
	},
	tBool: {"toString": {0}, "equals": {1}, "hashCode": {0}, "booleanValue": {0}},
}

func hasMethod(t staticType, name string, nargs int) bool {
	for _, n := range methods[t][name] {
		if n == nargs {
			return true
		}
	}
	return false
}

// methodResultType is the type a method returns, where it does not depend on the data.
func methodResultType(t staticType, name string) staticType {
	switch t {
	case tString:
		switch name {
		case "length", "indexOf", "lastIndexOf", "hashCode", "compareTo":
			return tInt
		case "isEmpty", "contains", "equals", "equalsIgnoreCase", "startsWith", "endsWith", "matches":
			return tBool
		case "split", "getBytes":
			return tList
		}
		return tString
	case tList:
		switch name {
		case "size", "indexOf", "lastIndexOf", "hashCode", "count":
			return tInt
		case "isEmpty", "contains", "equals", "containsAll":
			return tBool
		case "toString":
			return tString
		case "subList":
			return tList
		}
	case tMap:
		switch name {
		case "keySet", "values", "entrySet":
			return tList
		case "size", "count":
			return tInt
		case "isEmpty", "containsKey", "containsValue", "equals":
			return tBool
		case "toString":
			return tString
		}
	case tInt:
		switch name {
		case "toString":
			return tString
		case "equals":
			return tBool
		case "doubleValue":
			return tUnknown
		}
		return tInt
	case tBool:
		if name == "toString" {
			return tString
		}
		return tBool
	}
	return tUnknown
}

// kindStatic maps a value's kind to the method table that serves it.
func kindStatic(k kind) staticType {
	switch k {
	case kString:
		return tString
	case kInt, kFloat:
		return tInt
	case kBool:
		return tBool
	case kList, kRange:
		return tList
	case kMap, kStage:
		return tMap
	}
	return tUnknown
}
