namespace Orleans.Batch.Hosting.Cluster.Preflight;

/// <summary>One preflight check: what was checked, on which resource, what it found, and (when not passed) the fix.</summary>
/// <param name="Check">What was checked, e.g. <c>job queue</c>.</param>
/// <param name="Resource">The resource it was checked on, e.g. the queue's name.</param>
/// <param name="Outcome">Passed, warning or failed.</param>
/// <param name="Message">One line: what was found, and for a warning or failure what to do about it.</param>
public sealed record PreflightCheck(string Check, string Resource, PreflightOutcome Outcome, string Message);
