//! Chart loading (Chart.yaml, values, templates, subcharts, .helmignore, archives). Being built.
