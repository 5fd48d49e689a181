namespace Orleans.Batch.Hosting.LocalState;

/// <summary>Local state cannot be kept where the settings say; the message names the setting or variable.</summary>
/// <param name="message">One line naming the setting and what to change.</param>
public sealed class LocalStateException(string message) : Exception(message);
