"""Plain data and pure logic of the contact center. No Textual, no IO."""
