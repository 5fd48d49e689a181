namespace Orleans.Batch.Application.Rehearsal;

/// <summary>The rehearsal environment could not start; the message names what is missing and how to get it.</summary>
internal sealed class RehearsalException(string message) : Exception(message);
