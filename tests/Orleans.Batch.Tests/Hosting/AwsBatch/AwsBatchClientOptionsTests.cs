using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.AwsBatch;

namespace Orleans.Batch.Tests.Hosting.AwsBatch;

public sealed class AwsBatchClientOptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_ones_and_valid()
    {
        var options = new AwsBatchClientOptions();

        options.Region.ShouldBeNull();
        options.ServiceUrl.ShouldBeNull();
        options.UseFipsEndpoint.ShouldBeFalse();
        options.UseDualStackEndpoint.ShouldBeFalse();
        options.MaxAttempts.ShouldBe(5);
        options.AttemptTimeout.ShouldBe(TimeSpan.FromSeconds(30));
        options.BaseRetryDelay.ShouldBe(TimeSpan.FromMilliseconds(250));
        options.MaxRetryDelay.ShouldBe(TimeSpan.FromSeconds(20));
        options.Credentials.ShouldBeNull();
        new AwsBatchClientOptionsValidator().Validate(null, options).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData("Region", "us east 1", "OrleansBatch:Batch:Region 'us east 1' is not a valid AWS region name")]
    [InlineData("ServiceUrl", "localhost:5080", "OrleansBatch:Batch:ServiceUrl 'localhost:5080' must be an absolute http:// or https:// URL")]
    [InlineData("ServiceUrl", "ftp://127.0.0.1/", "OrleansBatch:Batch:ServiceUrl 'ftp://127.0.0.1/' must be an absolute http:// or https:// URL")]
    [InlineData("MaxAttempts", "0", "OrleansBatch:Batch:MaxAttempts must be between 1 and 20 (was 0)")]
    [InlineData("MaxAttempts", "21", "OrleansBatch:Batch:MaxAttempts must be between 1 and 20 (was 21)")]
    [InlineData("AttemptTimeout", "00:00:00", "OrleansBatch:Batch:AttemptTimeout must be between 10 milliseconds and 1 day")]
    [InlineData("BaseRetryDelay", "-00:00:01", "OrleansBatch:Batch:BaseRetryDelay must be between 0 and 1 day")]
    [InlineData("MaxRetryDelay", "00:00:00.100", "OrleansBatch:Batch:MaxRetryDelay must be at least OrleansBatch:Batch:BaseRetryDelay")]
    public void An_invalid_setting_fails_validation_at_start_with_a_message_naming_its_configuration_path(string setting, string value, string expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"OrleansBatch:Batch:{setting}"] = value });
        builder.Services.AddAwsBatchClient();
        using var host = builder.Build();

        var error = Should.Throw<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult());

        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void The_configure_delegate_runs_after_configuration_binding()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OrleansBatch:Batch:Region"] = "eu-west-1",
            ["OrleansBatch:Batch:MaxAttempts"] = "7",
            ["OrleansBatch:Batch:UseFipsEndpoint"] = "true",
        }).Build();
        using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddAwsBatchClient(o => o.Region = "us-west-2")
            .BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<AwsBatchClientOptions>>().Value;

        options.Region.ShouldBe("us-west-2");
        options.MaxAttempts.ShouldBe(7);
        options.UseFipsEndpoint.ShouldBeTrue();
    }

    [Fact]
    public void Without_IConfiguration_registered_only_the_delegate_configures_the_client()
    {
        using var provider = new ServiceCollection().AddAwsBatchClient(o => o.Region = "us-west-2").BuildServiceProvider();

        provider.GetRequiredService<IOptions<AwsBatchClientOptions>>().Value.Region.ShouldBe("us-west-2");
        provider.GetRequiredService<IAwsBatchClient>().ShouldBeOfType<AwsBatchClient>();
    }

    [Fact]
    public void Constructing_a_client_directly_validates_the_options()
    {
        var error = Should.Throw<OptionsValidationException>(() => new AwsBatchClient(new AwsBatchClientOptions { Region = "us east 1", MaxAttempts = 0 }));

        error.Message.ShouldContain("OrleansBatch:Batch:Region 'us east 1'");
        error.Message.ShouldContain("OrleansBatch:Batch:MaxAttempts");
    }
}
