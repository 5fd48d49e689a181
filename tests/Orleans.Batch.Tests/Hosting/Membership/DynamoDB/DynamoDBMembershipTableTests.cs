using System.Globalization;
using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Batch.Hosting.Membership;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Infrastructure;
using Orleans.Configuration;
using Orleans.Runtime;
using Schema = Orleans.Batch.Hosting.Membership.DynamoDB.DynamoDBMembershipSchema;

namespace Orleans.Batch.Tests.Hosting.Membership.DynamoDB;

/// <summary>DynamoDB-specific behavior of the membership provider, on DynamoDB Local.</summary>
public sealed class DynamoDBMembershipTableTests(DynamoDBLocalFixture dynamo) : IAsyncLifetime
{
    private static int s_generation;
    private readonly string _tableName = DynamoDBLocalFixture.UniqueTableName("membership");
    private readonly string _clusterId = $"cluster-{Guid.NewGuid():N}";
    private readonly List<string> _tables = [];
    private readonly List<IDisposable> _disposables = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await dynamo.StartAsync(Token);
        _tables.Add(_tableName);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        foreach (var table in _tables)
        {
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    [Theory]
    [InlineData(Schema.Status, "S:Sleeping", Schema.Status)]
    [InlineData(Schema.Status, "N:3", Schema.Status)]
    [InlineData(Schema.ProxyPort, "S:eleven", Schema.ProxyPort)]
    [InlineData(Schema.ProxyPort, "N:99999999999", Schema.ProxyPort)]
    [InlineData(Schema.ProxyPort, "remove", Schema.ProxyPort)]
    [InlineData(Schema.UpdateZone, "BOOL", Schema.UpdateZone)]
    [InlineData(Schema.StartTime, "S:yesterday", Schema.StartTime)]
    [InlineData(Schema.IAmAliveTime, "N:5", Schema.IAmAliveTime)]
    [InlineData(Schema.HostName, "N:1", Schema.HostName)]
    [InlineData(Schema.ETag, "remove", Schema.ETag)]
    [InlineData(Schema.MembershipVersion, "S:1", Schema.MembershipVersion)]
    [InlineData(Schema.SuspectTimes, "S:10.0.0.1:11111@1,2025-01-01", Schema.SuspectTimes)]
    [InlineData(Schema.SuspectTimes, "vote-silo", "SuspectTimes[0].Silo")]
    [InlineData(Schema.SuspectTimes, "vote-time", "SuspectTimes[0].Time")]
    [InlineData(Schema.SuspectTimes, "vote-without-time", "SuspectTimes[0].Time")]
    public async Task MalformedRow_FailsReadsWithTheRowAndTheAttributeInTheMessage(string attribute, string corruption, string reported)
    {
        var table = await TableAsync();
        var entry = CreateEntry();
        await InsertAsync(table, entry);
        var identity = entry.SiloAddress.ToParsableString();
        await CorruptAsync(identity, attribute, corruption);

        foreach (var read in new Func<Task>[] { () => table.ReadAllAsync(Token), () => table.ReadRowAsync(entry.SiloAddress, Token) })
        {
            var exception = await Should.ThrowAsync<MalformedMembershipRowException>(read);
            exception.RowKey.ShouldBe(identity);
            exception.AttributeName.ShouldBe(reported);
            exception.Message.ShouldContain($"'{identity}'");
            exception.Message.ShouldContain($"'{reported}'");
            exception.Message.ShouldContain(_tableName);
            exception.Message.ShouldContain(_clusterId);
        }
    }

    [Fact]
    public async Task MalformedVersionItem_FailsReadsNamingTheVersionItem()
    {
        var table = await TableAsync();
        var entry = CreateEntry();
        await InsertAsync(table, entry);
        await CorruptAsync(Schema.VersionSortKey, Schema.Version, "S:seven");

        var all = await Should.ThrowAsync<MalformedMembershipRowException>(() => table.ReadAllAsync(Token));
        all.RowKey.ShouldBe(Schema.VersionSortKey);
        all.AttributeName.ShouldBe(Schema.Version);
        var row = await Should.ThrowAsync<MalformedMembershipRowException>(() => table.ReadRowAsync(entry.SiloAddress, Token));
        row.AttributeName.ShouldBe(Schema.Version);
    }

    [Fact]
    public async Task RowWithAnInvalidSiloIdentity_FailsReadsAndGateways()
    {
        var table = await TableAsync();
        var entry = CreateEntry(SiloStatus.Active);
        await InsertAsync(table, entry);
        var item = await RawItemAsync(entry.SiloAddress.ToParsableString());
        item[Schema.SortKey] = new AttributeValue { S = "not-a-silo-address" };
        await dynamo.Client.PutItemAsync(new PutItemRequest { TableName = _tableName, Item = item }, Token);
        var gateways = Gateways();

        foreach (var read in new Func<Task>[] { () => table.ReadAllAsync(Token), () => gateways.GetGatewaysAsync(Token) })
        {
            var exception = await Should.ThrowAsync<MalformedMembershipRowException>(read);
            exception.RowKey.ShouldBe("not-a-silo-address");
            exception.AttributeName.ShouldBe(Schema.SortKey);
        }
    }

    [Fact]
    public async Task GatewayList_DuringATableOutage_IsTheLastOneReadWithOneWarning()
    {
        var table = await TableAsync();
        await InsertAsync(table, CreateEntry(SiloStatus.Active));
        using var client = new OutageDynamoDBClient(dynamo.ServiceUrl);
        using var logs = new Orleans.Batch.Tests.Hosting.AwsBatch.CollectingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using var provider = new DynamoDBGatewayListProvider(
            Microsoft.Extensions.Options.Options.Create(Options()),
            Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ClusterId = _clusterId }),
            Microsoft.Extensions.Options.Options.Create(new GatewayOptions()),
            loggerFactory,
            TimeProvider.System,
            client);
        var before = await provider.GetGatewaysAsync(Token);
        before.Count.ShouldBe(1);

        client.Down = true;
        for (var i = 0; i < 5; i++)
        {
            (await provider.GetGatewaysAsync(Token)).ShouldBe(before);
        }

        client.Down = false;
        (await provider.GetGatewaysAsync(Token)).ShouldBe(before);
        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning).ToList();
        warnings.Count.ShouldBe(1, "one warning per outage, not one per refresh");
        warnings[0].Message.ShouldContain("using the last 1 known");
        logs.Entries.ShouldContain(e => e.Message.Contains("answers again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GatewayList_WithNoListReadYet_FailsDuringAnOutage()
    {
        await TableAsync();
        using var client = new OutageDynamoDBClient(dynamo.ServiceUrl) { Down = true };
        using var provider = new DynamoDBGatewayListProvider(
            Microsoft.Extensions.Options.Options.Create(Options()),
            Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ClusterId = _clusterId }),
            Microsoft.Extensions.Options.Options.Create(new GatewayOptions()),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            client);

        await Should.ThrowAsync<AmazonServiceException>(() => provider.GetGatewaysAsync(Token));
    }

    /// <summary>DynamoDB Local, except that queries fail with a 503 while <see cref="Down"/> (the outage a killed server causes).</summary>
    private sealed class OutageDynamoDBClient(string serviceUrl) : Amazon.DynamoDBv2.AmazonDynamoDBClient(
        new Amazon.Runtime.BasicAWSCredentials("test", "test"),
        new Amazon.DynamoDBv2.AmazonDynamoDBConfig { ServiceURL = serviceUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 })
    {
        public volatile bool Down;

        public override Task<QueryResponse> QueryAsync(QueryRequest request, CancellationToken cancellationToken = default) =>
            Down
                ? throw new AmazonServiceException("Service Unavailable", Amazon.Runtime.ErrorType.Receiver, "ServiceUnavailable", "test", System.Net.HttpStatusCode.ServiceUnavailable)
                : base.QueryAsync(request, cancellationToken);

        public override Task<GetItemResponse> GetItemAsync(GetItemRequest request, CancellationToken cancellationToken = default) =>
            Down
                ? throw new AmazonServiceException("Service Unavailable", Amazon.Runtime.ErrorType.Receiver, "ServiceUnavailable", "test", System.Net.HttpStatusCode.ServiceUnavailable)
                : base.GetItemAsync(request, cancellationToken);
    }

    [Fact]
    public async Task ReservedItems_AreIgnoredByReadsAndGateways_AndRemovedWithTheCluster()
    {
        var table = await TableAsync();
        var entry = CreateEntry(SiloStatus.Active);
        await InsertAsync(table, entry);
        // Reserved items may look like silo rows; they are never read as such.
        foreach (var key in new[] { Schema.LeaseSortKey, "$something-else" })
        {
            await dynamo.Client.PutItemAsync(new PutItemRequest
            {
                TableName = _tableName,
                Item = new Dictionary<string, AttributeValue>
                {
                    [Schema.PartitionKey] = new() { S = _clusterId },
                    [Schema.SortKey] = new() { S = key },
                    [Schema.Status] = new() { S = "Active" },
                    [Schema.ProxyPort] = new() { N = "1" },
                    ["Owner"] = new() { S = "manager" },
                },
            }, Token);
        }

        var data = await table.ReadAllAsync(Token);
        data.Members.Select(member => member.Item1.SiloAddress).ShouldBe([entry.SiloAddress]);
        (await Gateways().GetGatewaysAsync(Token)).Count.ShouldBe(1);
        await InsertAsync(table, CreateEntry());
        (await table.ReadAllAsync(Token)).Members.Count.ShouldBe(2);

        await table.DeleteMembershipTableEntriesAsync(_clusterId, Token);

        (await QueryPartitionAsync(_clusterId)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(DynamoDBBillingMode.PayPerRequest)]
    [InlineData(DynamoDBBillingMode.Provisioned)]
    public async Task Initialize_WhenAskedToCreate_CreatesTheTableWithTimeToLiveOnExpiresAt(DynamoDBBillingMode billingMode)
    {
        var name = DynamoDBLocalFixture.UniqueTableName("created");
        _tables.Add(name);
        var options = Options(name);
        options.BillingMode = billingMode;
        options.ReadCapacityUnits = 3;
        options.WriteCapacityUnits = 4;
        var table = await TableAsync(options, initialize: false);

        await table.InitializeMembershipTableAsync(true, Token);
        await table.InitializeMembershipTableAsync(true, Token);
        await Gateways(options).InitializeGatewayListProviderAsync(Token);

        var description = (await dynamo.Client.DescribeTableAsync(name, Token)).Table;
        description.TableStatus.ShouldBe(TableStatus.ACTIVE);
        description.KeySchema.Select(key => $"{key.AttributeName}:{key.KeyType}")
            .ShouldBe([$"{Schema.PartitionKey}:HASH", $"{Schema.SortKey}:RANGE"]);
        description.AttributeDefinitions.ShouldAllBe(attribute => attribute.AttributeType == ScalarAttributeType.S);
        if (billingMode == DynamoDBBillingMode.PayPerRequest)
        {
            description.BillingModeSummary.BillingMode.ShouldBe(BillingMode.PAY_PER_REQUEST);
        }
        else
        {
            description.ProvisionedThroughput.ReadCapacityUnits.ShouldBe(3);
            description.ProvisionedThroughput.WriteCapacityUnits.ShouldBe(4);
        }

        var ttl = (await dynamo.Client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = name }, Token)).TimeToLiveDescription;
        ttl.TimeToLiveStatus.ShouldBe(TimeToLiveStatus.ENABLED);
        ttl.AttributeName.ShouldBe(Schema.ExpiresAt);
        await InsertAsync(table, CreateEntry());
    }

    [Fact]
    public async Task MissingTable_WithCreationOff_FailsWithAMessageNamingTheTableAndTheSetting()
    {
        var options = Options(create: false);
        var table = await TableAsync(options, initialize: false);
        var gateways = Gateways(options);

        var failures = new[]
        {
            await Should.ThrowAsync<InvalidOperationException>(() => table.InitializeMembershipTableAsync(true, Token)),
            await Should.ThrowAsync<InvalidOperationException>(() => table.ReadAllAsync(Token)),
            await Should.ThrowAsync<InvalidOperationException>(() => table.InsertRowAsync(CreateEntry(), new TableVersion(1, "0"), Token)),
            await Should.ThrowAsync<InvalidOperationException>(() => table.DeleteMembershipTableEntriesAsync(_clusterId, Token)),
            await Should.ThrowAsync<InvalidOperationException>(() => gateways.InitializeGatewayListProviderAsync(Token)),
            await Should.ThrowAsync<InvalidOperationException>(() => gateways.GetGatewaysAsync(Token)),
        };

        foreach (var failure in failures)
        {
            failure.Message.ShouldContain($"'{_tableName}' does not exist");
            failure.Message.ShouldContain("OrleansBatch:DynamoDB:CreateIfNotExists");
        }

        (await dynamo.Client.ListTablesAsync(new ListTablesRequest(), Token)).TableNames.ShouldNotContain(_tableName);
    }

    [Fact]
    public async Task ManagerPath_ConstructingATable_SendsNoRequest_AndReadsAndDeletesAPartition()
    {
        var silo = await TableAsync();
        await InsertAsync(silo, CreateEntry(SiloStatus.Active));
        using var client = new InterceptingDynamoDBClient(dynamo.ServiceUrl);

        using var manager = new DynamoDBMembershipTable(
            Microsoft.Extensions.Options.Options.Create(Options(create: false)),
            Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ClusterId = _clusterId }),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            client);
        client.TotalRequests.ShouldBe(0);

        var progress = await manager.ReadAllAsync(Token);
        progress.Members.Single().Item1.Status.ShouldBe(SiloStatus.Active);
        client.Requests.Keys.ShouldBe(["GetItem", "Query"], ignoreOrder: true);

        await manager.DeleteMembershipTableEntriesAsync(manager.ClusterId, Token);
        (await QueryPartitionAsync(_clusterId)).ShouldBeEmpty();
        client.Requests.ShouldNotContainKey("CreateTable");
        client.Requests.ShouldNotContainKey("DescribeTable");
    }

    [Fact]
    public async Task ExistingTableWithAnotherKeySchema_IsRejectedWithTheExpectedSchema()
    {
        await dynamo.Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = _tableName,
            KeySchema = [new KeySchemaElement("Id", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("Id", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        }, Token);
        var table = await TableAsync(initialize: false);

        var exception = await Should.ThrowAsync<InvalidOperationException>(() => table.InitializeMembershipTableAsync(true, Token));

        exception.Message.ShouldContain(_tableName);
        exception.Message.ShouldContain($"'{Schema.PartitionKey}'");
        exception.Message.ShouldContain($"'{Schema.SortKey}'");
        exception.Message.ShouldContain("Id (HASH)");
    }

    [Fact]
    public async Task StoredItems_HaveTheDocumentedShape()
    {
        var time = new FakeTimeProvider(FutureStart);
        var table = await TableAsync(time: time);
        var entry = MembershipTestData.CreateFullEntry(CreateEntry().SiloAddress);
        await InsertAsync(table, entry);
        var identity = entry.SiloAddress.ToParsableString();

        var row = await RawItemAsync(identity);
        var expiresAt = (time.GetUtcNow() + TimeSpan.FromDays(1)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        row.Keys.ShouldBe(
            [Schema.PartitionKey, Schema.SortKey, Schema.ETag, Schema.MembershipVersion, Schema.Status, Schema.ProxyPort, Schema.UpdateZone,
             Schema.FaultZone, Schema.StartTime, Schema.IAmAliveTime, Schema.HostName, Schema.SiloName, Schema.RoleName, Schema.SuspectTimes, Schema.ExpiresAt],
            ignoreOrder: true);
        row[Schema.PartitionKey].S.ShouldBe(_clusterId);
        row[Schema.Status].S.ShouldBe("Active");
        row[Schema.ProxyPort].N.ShouldBe("30123");
        row[Schema.MembershipVersion].N.ShouldBe("1");
        row[Schema.StartTime].S.ShouldBe("2025-06-01T12:00:01.1234567Z");
        row[Schema.SuspectTimes].L.Count.ShouldBe(3);
        row[Schema.SuspectTimes].L[0].M[Schema.SuspectSilo].S.ShouldBe(entry.SuspectTimes![0].Item1.ToParsableString());
        row[Schema.SuspectTimes].L[0].M[Schema.SuspectTime].S.ShouldBe("2025-06-01T12:04:00.0000003Z");
        row[Schema.ExpiresAt].N.ShouldBe(expiresAt);

        var version = await RawItemAsync(Schema.VersionSortKey);
        version[Schema.Version].N.ShouldBe("1");
        version[Schema.ETag].S.ShouldNotBeNullOrEmpty();
        version[Schema.LastChange].M.Keys.ShouldBe([identity]);
        version[Schema.LastChange].M[identity].S.ShouldBe(row[Schema.ETag].S);
        version[Schema.ExpiresAt].N.ShouldBe(expiresAt);
    }

    [Fact]
    public async Task Heartbeat_IsOneWrite_ThatPushesTheRowExpiry_AndRefreshesTheVersionExpiryOnlyWhenDue()
    {
        var start = FutureStart;
        var time = new FakeTimeProvider(start);
        var options = Options();
        options.TimeToLive = TimeSpan.FromHours(2);
        using var client = new InterceptingDynamoDBClient(dynamo.ServiceUrl);
        var table = await TableAsync(options, time, client);
        var entry = CreateEntry();
        await InsertAsync(table, entry);
        var identity = entry.SiloAddress.ToParsableString();
        var versionBefore = await RawItemAsync(Schema.VersionSortKey);
        var etagBefore = (await RawItemAsync(identity))[Schema.ETag].S;

        time.Advance(TimeSpan.FromMinutes(10));
        var requestsBefore = client.TotalRequests;
        await table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = time.GetUtcNow().UtcDateTime }, Token);

        client.TotalRequests.ShouldBe(requestsBefore + 1, "a heartbeat is one write");
        var row = await RawItemAsync(identity);
        row[Schema.ExpiresAt].N.ShouldBe(Seconds(start + TimeSpan.FromMinutes(10) + TimeSpan.FromHours(2)));
        row[Schema.ETag].S.ShouldBe(etagBefore);
        Flatten(await RawItemAsync(Schema.VersionSortKey)).ShouldBe(Flatten(versionBefore), "the version item is untouched");

        // A quarter of the time to live after the last commit, a heartbeat also pushes the version item's expiry.
        time.Advance(TimeSpan.FromMinutes(25));
        await table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = time.GetUtcNow().UtcDateTime }, Token);
        var version = await RawItemAsync(Schema.VersionSortKey);
        version[Schema.ExpiresAt].N.ShouldBe(Seconds(start + TimeSpan.FromMinutes(35) + TimeSpan.FromHours(2)));
        version[Schema.Version].N.ShouldBe(versionBefore[Schema.Version].N);
        version[Schema.ETag].S.ShouldBe(versionBefore[Schema.ETag].S);
        var data = await table.ReadAllAsync(Token);
        data.Members.Single().Item2.ShouldBe(etagBefore);
    }

    [Fact]
    public async Task TimeToLiveOff_WritesNoExpiry()
    {
        var options = Options();
        options.TimeToLive = null;
        var table = await TableAsync(options);
        var entry = CreateEntry();
        await InsertAsync(table, entry);
        await table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = entry.SiloAddress, IAmAliveTime = DateTime.UtcNow }, Token);

        (await QueryPartitionAsync(_clusterId)).ShouldAllBe(item => !item.ContainsKey(Schema.ExpiresAt));
    }

    [Fact]
    public async Task ReadAll_WithRowsButNoVersionItem_FailsAfterBoundedRetries()
    {
        var table = await TableAsync();
        await InsertAsync(table, CreateEntry());
        await dynamo.Client.DeleteItemAsync(_tableName, Key(Schema.VersionSortKey), Token);

        var exception = await Should.ThrowAsync<InvalidOperationException>(() => table.ReadAllAsync(Token));

        exception.Message.ShouldContain("consistent membership snapshot");
        exception.Message.ShouldContain("no version item");
    }

    [Theory]
    [InlineData("ahead")]
    [InlineData("behind")]
    public async Task ReadAll_RefusesASnapshotThatMixesVersions(string mix)
    {
        var table = await TableAsync();
        var entry = CreateEntry();
        await InsertAsync(table, entry);
        var identity = entry.SiloAddress.ToParsableString();
        // What a read overlapping a commit would see: a row from a later commit, or the old state of the committed row.
        await CorruptAsync(identity, mix == "ahead" ? Schema.MembershipVersion : Schema.ETag, mix == "ahead" ? "N:2" : "S:previous-etag");

        var exception = await Should.ThrowAsync<InvalidOperationException>(() => table.ReadAllAsync(Token));

        exception.Message.ShouldContain(identity);
    }

    [Fact]
    public async Task Cleanup_KeepsADeadRowThatChangedAfterItWasRead()
    {
        using var client = new InterceptingDynamoDBClient(dynamo.ServiceUrl);
        var table = await TableAsync(client: client);
        var other = await TableAsync();
        var cutOff = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var dead = CreateEntry(SiloStatus.Dead, cutOff.UtcDateTime.AddDays(-1));
        await InsertAsync(other, dead);

        // Between cleanup's read and its delete, another silo records a fresh vote on the dead row.
        client.BeforeNextTransactWrite = async () =>
        {
            var data = await other.ReadAllAsync(Token);
            var (row, etag) = data.TryGet(dead.SiloAddress)!;
            row.SuspectTimes = [Tuple.Create(CreateEntry().SiloAddress, cutOff.UtcDateTime.AddHours(1))];
            (await other.UpdateRowAsync(row, etag, data.Version.Next(), Token)).ShouldBeTrue();
        };
        await table.CleanupDefunctSiloEntriesAsync(cutOff, Token);

        client.BeforeNextTransactWrite.ShouldBeNull("the cleanup attempted its delete");
        var kept = (await table.ReadAllAsync(Token)).TryGet(dead.SiloAddress).ShouldNotBeNull();
        kept.Item1.SuspectTimes!.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Writes_ThatDynamoDBRejects_ThrowInsteadOfReportingContention()
    {
        var table = await TableAsync();
        var entry = CreateEntry();
        entry.HostName = new string('h', 500 * 1024); // over DynamoDB's 400 KB item limit

        var exception = await Should.ThrowAsync<AmazonDynamoDBException>(() => InsertAsync(table, entry));

        exception.ShouldNotBeOfType<TransactionCanceledException>();
        (await table.ReadAllAsync(Token)).Members.ShouldBeEmpty();
    }

    [Fact]
    public async Task DeleteCluster_RemovesMoreThanOneBatchOfItems()
    {
        var table = await TableAsync();
        for (var i = 0; i < 60; i++)
        {
            await InsertAsync(table, CreateEntry());
        }

        await table.DeleteMembershipTableEntriesAsync(_clusterId, Token);

        (await QueryPartitionAsync(_clusterId)).ShouldBeEmpty();
    }

    private DynamoDBMembershipOptions Options(string? tableName = null, bool create = true) => new()
    {
        TableName = tableName ?? _tableName,
        ServiceUrl = new Uri(dynamo.ServiceUrl),
        Region = "us-east-1",
        CreateIfNotExists = create,
    };

    private async Task<DynamoDBMembershipTable> TableAsync(
        DynamoDBMembershipOptions? options = null, TimeProvider? time = null, IAmazonDynamoDB? client = null, bool initialize = true)
    {
        var table = new DynamoDBMembershipTable(
            Microsoft.Extensions.Options.Options.Create(options ?? Options()),
            Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ClusterId = _clusterId }),
            NullLoggerFactory.Instance,
            time ?? TimeProvider.System,
            client ?? dynamo.Client);
        _disposables.Add(table);
        if (initialize)
        {
            await table.InitializeMembershipTableAsync(true, Token);
        }

        return table;
    }

    private DynamoDBGatewayListProvider Gateways(DynamoDBMembershipOptions? options = null)
    {
        var provider = new DynamoDBGatewayListProvider(
            Microsoft.Extensions.Options.Options.Create(options ?? Options()),
            Microsoft.Extensions.Options.Options.Create(new ClusterOptions { ClusterId = _clusterId }),
            Microsoft.Extensions.Options.Options.Create(new GatewayOptions()),
            NullLoggerFactory.Instance,
            TimeProvider.System,
            dynamo.Client);
        _disposables.Add(provider);
        return provider;
    }

    private static async Task InsertAsync(IMembershipTable table, MembershipEntry entry)
    {
        var data = await table.ReadAllAsync(Token);
        (await table.InsertRowAsync(entry, data.Version.Next(), Token)).ShouldBeTrue();
    }

    private static MembershipEntry CreateEntry(SiloStatus status = SiloStatus.Joining, DateTime? time = null)
    {
        var generation = Interlocked.Increment(ref s_generation);
        var at = time ?? new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Parse("10.1.2.3"), 11111, generation),
            Status = status,
            ProxyPort = 30000,
            HostName = "host",
            SiloName = $"silo-{generation}",
            StartTime = at,
            IAmAliveTime = at,
            SuspectTimes = [Tuple.Create(SiloAddress.New(IPAddress.Parse("10.1.2.4"), 11111, 1), at)],
        };
    }

    /// <summary>
    /// A fixed start for fake clocks, always after the real now: DynamoDB Local's TTL deletes items whose ExpiresAt
    /// has passed in real time, so an item written with a past fake time could vanish while the test reads it.
    /// </summary>
    private static DateTimeOffset FutureStart => new(DateTime.UtcNow.Year + 1, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private Dictionary<string, AttributeValue> Key(string sortKey) => new()
    {
        [Schema.PartitionKey] = new AttributeValue { S = _clusterId },
        [Schema.SortKey] = new AttributeValue { S = sortKey },
    };

    private async Task<Dictionary<string, AttributeValue>> RawItemAsync(string sortKey)
    {
        var response = await dynamo.Client.GetItemAsync(new GetItemRequest { TableName = _tableName, Key = Key(sortKey), ConsistentRead = true }, Token);
        return response.Item.ShouldNotBeNull();
    }

    private async Task<List<Dictionary<string, AttributeValue>>> QueryPartitionAsync(string clusterId)
    {
        var response = await dynamo.Client.QueryAsync(new QueryRequest
        {
            TableName = _tableName,
            KeyConditionExpression = "#pk = :pk",
            ExpressionAttributeNames = new() { ["#pk"] = Schema.PartitionKey },
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = clusterId } },
            ConsistentRead = true,
        }, Token);
        return response.Items ?? [];
    }

    /// <summary>Overwrites (or removes) one attribute of a stored item, bypassing the provider.</summary>
    private async Task CorruptAsync(string sortKey, string attribute, string corruption)
    {
        var request = new UpdateItemRequest
        {
            TableName = _tableName,
            Key = Key(sortKey),
            ExpressionAttributeNames = new() { ["#a"] = attribute },
        };
        AttributeValue? value = corruption switch
        {
            "remove" => null,
            "BOOL" => new AttributeValue { BOOL = true },
            "vote-silo" => Votes(silo: "nonsense", time: "2025-06-01T12:00:00.0000000Z"),
            "vote-time" => Votes(silo: "10.0.0.1:11111@1", time: "noon"),
            "vote-without-time" => Votes(silo: "10.0.0.1:11111@1", time: null),
            _ when corruption.StartsWith("S:", StringComparison.Ordinal) => new AttributeValue { S = corruption[2..] },
            _ when corruption.StartsWith("N:", StringComparison.Ordinal) => new AttributeValue { N = corruption[2..] },
            _ => throw new ArgumentOutOfRangeException(nameof(corruption), corruption, null),
        };
        if (value is null)
        {
            request.UpdateExpression = "REMOVE #a";
        }
        else
        {
            request.UpdateExpression = "SET #a = :v";
            request.ExpressionAttributeValues = new() { [":v"] = value };
        }

        await dynamo.Client.UpdateItemAsync(request, Token);

        static AttributeValue Votes(string silo, string? time)
        {
            var vote = new Dictionary<string, AttributeValue> { [Schema.SuspectSilo] = new() { S = silo } };
            if (time is not null)
            {
                vote[Schema.SuspectTime] = new AttributeValue { S = time };
            }

            return new AttributeValue { L = [new AttributeValue { M = vote }] };
        }
    }

    private static string Flatten(Dictionary<string, AttributeValue> item)
        => string.Join(", ", item.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={Flatten(pair.Value)}"));

    private static string Flatten(AttributeValue value) => value switch
    {
        { S: { } s } => $"S:{s}",
        { N: { } n } => $"N:{n}",
        { M: { } m } => $"M:{{{Flatten(m)}}}",
        { L: { } l } => $"L:[{string.Join(", ", l.Select(Flatten))}]",
        _ => "?",
    };

    private static string Seconds(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
