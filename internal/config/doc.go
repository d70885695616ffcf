// Package config reads hadath's settings with viper: flags, then HADATH_*
// environment variables, then a --config file, then the embedded
// config.yaml. Unknown keys in a config file are errors with file:line:col.
package config
