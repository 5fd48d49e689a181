using Orleans.Batch.Hosting.Membership.Lease;

namespace Orleans.Batch.Tests.Hosting.Membership;

/// <summary>
/// What every lease store must do: silos mark a lease abandoned only on the renewal they saw, and a manager that
/// comes back never overwrites that mark (it learns its cluster is lost instead).
/// </summary>
public abstract class ManagerLeaseStoreConformanceTests : IAsyncLifetime
{
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected abstract IManagerLeaseStore Store { get; }

    [Fact]
    public async Task Only_a_silo_that_saw_the_current_renewal_marks_the_lease_abandoned_and_only_once()
    {
        (await Store.WriteAsync("c1", Lease(4), Token)).ShouldBeTrue();
        (await Store.WriteAsync("c1", Lease(5), Token)).ShouldBeTrue();

        (await Store.MarkAbandonedAsync("c1", seenRenewals: 4, Token)).ShouldBeFalse("the manager renewed after the silo looked: it keeps its cluster");
        (await Store.ReadAsync("c1", Token))!.Abandoned.ShouldBeFalse();
        (await Store.MarkAbandonedAsync("c1", seenRenewals: 5, Token)).ShouldBeTrue();
        (await Store.ReadAsync("c1", Token))!.Abandoned.ShouldBeTrue();
        (await Store.MarkAbandonedAsync("c1", seenRenewals: 5, Token)).ShouldBeFalse("another silo got there first");
        (await Store.MarkAbandonedAsync("no-such-cluster", seenRenewals: 0, Token)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_manager_that_comes_back_after_a_silo_gave_its_cluster_up_cannot_renew_it()
    {
        (await Store.WriteAsync("c2", Lease(7), Token)).ShouldBeTrue();
        (await Store.MarkAbandonedAsync("c2", seenRenewals: 7, Token)).ShouldBeTrue();

        (await Store.WriteAsync("c2", Lease(8), Token)).ShouldBeFalse("a live lease never replaces the abandoned mark");
        var stored = (await Store.ReadAsync("c2", Token))!;
        stored.Abandoned.ShouldBeTrue();
        stored.Renewals.ShouldBe(7);

        // The manager's own tear-down may still record that it gave up.
        (await Store.WriteAsync("c2", Lease(9) with { Abandoned = true }, Token)).ShouldBeTrue();
        (await Store.ReadAsync("c2", Token))!.Renewals.ShouldBe(9);
    }

    private static ManagerLease Lease(long renewals) => new(renewals, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), "manager");
}
