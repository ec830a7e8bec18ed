"""Story models: planners (prompt -> keywords per scene) and writers (plan -> story text)."""
