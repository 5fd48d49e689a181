using Orleans.Batch.Application.CommandLine;

namespace Orleans.Batch.Tests.Application.CommandLine;

public sealed class SiloCountTests
{
    [Theory]
    [InlineData("4", 4, 4)]
    [InlineData("1", 1, 1)]
    [InlineData("2:8", 2, 8)]
    [InlineData("3:3", 3, 3)]
    [InlineData("10000", 10000, 10000)]
    public void Accepts_a_count_or_a_range(string text, int min, int max)
    {
        SiloCount.TryParse(text, out var count, out var error).ShouldBeTrue(error);
        count.ShouldBe(new SiloCount(min, max));
    }

    [Theory]
    [InlineData("0", "at least 1")]
    [InlineData("-3", "at least 1")]
    [InlineData("abc", "whole number")]
    [InlineData("5:2", "MIN <= MAX")]
    [InlineData("10001", "at most 10000")]
    [InlineData("1:2:3", "N or MIN:MAX")]
    [InlineData("2:", "whole number")]
    public void Rejects_bad_values_with_a_message_naming_the_flag(string text, string expected)
    {
        SiloCount.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldStartWith("--silos");
        error.ShouldContain(expected);
    }
}
