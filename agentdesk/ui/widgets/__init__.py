"""Reusable widgets of the desk, one public widget per module.

Conversation widgets (their APIs are documented in each module's docstring):
`Timeline` (+ `LinkPicker`), `Composer` (+ `CannedPicker`), `CallBar` (+ `DtmfPad`),
`CustomerPanel`, `SuggestionPanel` (+ `ArticlePreview`, `ConfirmLink`) and
`InteractionView`, which composes the first three for one interaction tab.
Import them from their subpackages, e.g.
`from agentdesk.ui.widgets.timeline import Timeline`.
"""
