"""The agentdesk/1 wire format: request/response/event models and the sanitiser. No Textual."""
