package scenarios

import "gopkg.in/yaml.v3"

func yamlUnmarshal(text string, v any) error { return yaml.Unmarshal([]byte(text), v) }
