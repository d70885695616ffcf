package app

import "github.com/hadath/hadath/pipeline"

func extraStages() ([]pipeline.Stage, error) { return nil, nil }
