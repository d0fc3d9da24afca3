"""The timeline's look: its CSS and component classes (colours only through
theme variables)."""

from agentdesk.domain.enums import Channel

TIMELINE_CSS = """
    Timeline {
        background: $surface;
        overflow-x: hidden;
        overflow-y: scroll;  /* a scrollbar that comes and goes would change the wrap width */
        height: 1fr;
    }
    Timeline:focus { background-tint: $foreground 3%; }
    Timeline > .timeline--time { color: $muted-foreground; }
    Timeline > .timeline--meta { color: $muted-foreground; }
    Timeline > .timeline--author { text-style: bold; }
    Timeline > .timeline--subject { text-style: bold; }
    Timeline > .timeline--note-badge { background: $note-background; color: $foreground; text-style: bold; }
    Timeline > .timeline--note-body { background: $note-background; }
    Timeline > .timeline--inbound { background: $inbound-background; }
    Timeline > .timeline--outbound { background: $outbound-background; }
    Timeline > .timeline--transcript { color: $transcript-foreground; }
    Timeline > .timeline--compact { color: $muted-foreground; text-style: italic; }
    Timeline > .timeline--separator { color: $muted-foreground; }
    Timeline > .timeline--banner { color: $muted-foreground; text-style: italic; }
    Timeline > .timeline--new { background: $accent; color: $foreground; text-style: bold; }
    Timeline > .timeline--delivery-queued { color: $muted-foreground; }
    Timeline > .timeline--delivery-sent { color: $success; }
    Timeline > .timeline--delivery-failed { color: $error; text-style: bold; }
    Timeline > .timeline--link { color: $text-accent; text-style: underline; }
    Timeline > .timeline--channel-chat { color: $channel-chat; }
    Timeline > .timeline--channel-email { color: $channel-email; }
    Timeline > .timeline--channel-sms { color: $channel-sms; }
    Timeline > .timeline--channel-social { color: $channel-social; }
    Timeline > .timeline--channel-voice { color: $channel-voice; }
    """

COMPONENT_CLASSES = {
    "timeline--time",
    "timeline--meta",
    "timeline--author",
    "timeline--subject",
    "timeline--note-badge",
    "timeline--note-body",
    "timeline--inbound",
    "timeline--outbound",
    "timeline--transcript",
    "timeline--compact",
    "timeline--separator",
    "timeline--banner",
    "timeline--new",
    "timeline--delivery-queued",
    "timeline--delivery-sent",
    "timeline--delivery-failed",
    "timeline--link",
    *(f"timeline--channel-{channel.value}" for channel in Channel),
}
