"""The push benchmark's parts: its world, the books it pushes, the driver, the figures, the check, the chart."""
