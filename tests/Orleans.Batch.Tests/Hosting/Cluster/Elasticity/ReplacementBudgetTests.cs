using Orleans.Batch.Hosting.Cluster;
using Orleans.Batch.Hosting.Cluster.Backends;
using Orleans.Batch.Hosting.Cluster.Elasticity;

namespace Orleans.Batch.Tests.Hosting.Cluster.Elasticity;

/// <summary>How many lost silos a cluster replaces, and what counts as the infrastructure's loss.</summary>
public sealed class ReplacementBudgetTests
{
    [Fact]
    public void Each_attempt_is_counted_once_whoever_accepts_it_and_the_budget_is_a_hard_limit()
    {
        var budget = new SiloReplacementBudget(2);

        budget.TryAccept(index: 3, attempt: 2).ShouldBeTrue();
        budget.TryAccept(index: 3, attempt: 2).ShouldBeTrue("the backend and the monitor both see attempt 2 of silo 3");
        budget.TryAccept(index: 5, attempt: 2).ShouldBeTrue();
        budget.TryAccept(index: 3, attempt: 3).ShouldBeFalse();
        budget.Used.ShouldBe(2);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 3)]
    [InlineData(9, 10)]
    [InlineData(500, 10)]
    public void Batch_gets_one_attempt_more_than_the_budget_and_at_most_ten(int total, int attempts)
    {
        new SiloReplacementBudget(total).AttemptsPerSilo.ShouldBe(attempts);
    }

    [Theory]
    [InlineData(4, 2)]
    [InlineData(40, 4)]
    [InlineData(1000, 100)]
    public void The_default_budget_is_a_tenth_of_the_silos_and_at_least_two(int silos, int budget)
    {
        new ClusterLaunchOptions { ClusterId = "c-1", MaxSilos = silos }.EffectiveReplaceLost.ShouldBe(budget);
    }

    [Fact]
    public void A_negative_budget_names_the_flag()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new ClusterLaunchOptions { ClusterId = "c-1", MaxSilos = 2, ReplaceLost = -1 }.Validate())
            .Message.ShouldContain("--replace-lost");
    }

    [Theory]
    [InlineData(75, null, true)]
    [InlineData(137, null, true)]
    [InlineData(1, null, false)]
    [InlineData(0, "Host EC2 (instance i-0123456789abcdef0) terminated.", true)]
    [InlineData(3, "Essential container in task exited", false)]
    public void Kills_interruption_notices_and_lost_hosts_are_the_infrastructures(int exitCode, string? reason, bool replaceable)
    {
        InfrastructureLoss.LooksReplaceable(new SiloBackendStatus(0, SiloBackendState.Failed, reason, exitCode)).ShouldBe(replaceable);
    }

    [Fact]
    public void Batch_retries_lost_hosts_and_interruption_notices_and_nothing_else()
    {
        var strategy = InfrastructureLoss.BatchRetryStrategy(3);

        strategy.Attempts.ShouldBe(3);
        strategy.EvaluateOnExit!.Select(c => (c.OnStatusReason, c.OnExitCode, c.OnReason, c.Action.ToString())).ShouldBe(
        [
            ("Host EC2*", null, null, "Retry"),
            (null, "75", null, "Retry"),
            (null, null, "*", "Exit"),
        ]);
        InfrastructureLoss.BatchRetryStrategy(1).EvaluateOnExit.ShouldBeNull("one attempt has nothing to evaluate");
    }

    [Theory]
    [InlineData(0, 2, "Minimum")]
    [InlineData(3, 2, "Minimum")]
    [InlineData(1, 10001, "Minimum")]
    public void Adaptive_scaling_names_a_bad_range(int minimum, int maximum, string named)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new AdaptiveScalingOptions { Minimum = minimum, Maximum = maximum }.Validate())
            .Message.ShouldContain(named);
    }
}
