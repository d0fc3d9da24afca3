"""The supervisor monitor: a read-only wallboard and live drill-down (its own
Textual app). Entry points: `launch_monitor.make_monitor_app`,
`launch_monitor.run_monitor_with` (its screenshot scenes: tools/screenshots)."""
