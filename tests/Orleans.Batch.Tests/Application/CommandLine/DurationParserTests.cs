using Orleans.Batch.Application.CommandLine;

namespace Orleans.Batch.Tests.Application.CommandLine;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("1.5", 1.5)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("500ms", 0.5)]
    [InlineData("00:05:00", 300)]
    public void Parses_seconds_units_and_time_spans(string text, double seconds)
    {
        DurationParser.TryParse(text, out var duration).ShouldBeTrue();
        duration.ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("5x")]
    [InlineData("m")]
    [InlineData("-00:01:00")]
    public void Rejects_non_positive_or_malformed_durations(string text) =>
        DurationParser.TryParse(text, out _).ShouldBeFalse();
}
