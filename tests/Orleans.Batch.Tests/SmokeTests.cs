namespace Orleans.Batch.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Adds() => Shouldly.ShouldBeTestExtensions.ShouldBe(1 + 1, 2);
}
