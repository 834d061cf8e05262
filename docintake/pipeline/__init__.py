"""The pipeline: the step list over the Bundle model, the inbox, the submission history."""
