using Microsoft.Extensions.Options;
using Orleans.Batch.Hosting.Membership.DynamoDB;

namespace Orleans.Batch.Tests.Hosting.Membership.DynamoDB;

public sealed class DynamoDBMembershipOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndSuitProduction()
    {
        var options = new DynamoDBMembershipOptions();

        Validate(options).Succeeded.ShouldBeTrue();
        options.TableName.ShouldBe("OrleansBatchMembership");
        options.CreateIfNotExists.ShouldBeFalse("the deployment template creates the table in production");
        options.BillingMode.ShouldBe(DynamoDBBillingMode.PayPerRequest);
        options.TimeToLive.ShouldBe(TimeSpan.FromDays(1));
        options.ServiceUrl.ShouldBeNull();
        options.Region.ShouldBeNull();
    }

    [Theory]
    [InlineData("TableName", "", "OrleansBatch:DynamoDB:TableName is required")]
    [InlineData("TableName", "ab", "OrleansBatch:DynamoDB:TableName must be 3-255 characters")]
    [InlineData("TableName", "has space", "OrleansBatch:DynamoDB:TableName must be 3-255 characters of letters, digits, '_', '-' and '.'; got 'has space'")]
    [InlineData("Region", "Europe", "OrleansBatch:DynamoDB:Region must be an AWS region name such as 'us-east-1'")]
    [InlineData("ServiceUrl", "ftp://127.0.0.1:8000", "OrleansBatch:DynamoDB:ServiceUrl must be an absolute http or https URL")]
    [InlineData("ServiceUrl", "relative/path", "OrleansBatch:DynamoDB:ServiceUrl must be an absolute http or https URL")]
    [InlineData("BillingMode", "7", "OrleansBatch:DynamoDB:BillingMode must be 'PayPerRequest' or 'Provisioned'")]
    [InlineData("ReadCapacityUnits", "0", "OrleansBatch:DynamoDB:ReadCapacityUnits must be at least 1 with provisioned billing")]
    [InlineData("WriteCapacityUnits", "-1", "OrleansBatch:DynamoDB:WriteCapacityUnits must be at least 1 with provisioned billing")]
    [InlineData("TimeToLive", "00:10:00", "OrleansBatch:DynamoDB:TimeToLive must be between 01:00:00 and 3650 days")]
    [InlineData("ChangeLogLength", "-1", "OrleansBatch:DynamoDB:ChangeLogLength must be between 0 and 20000; got -1")]
    [InlineData("ChangeLogLength", "20001", "OrleansBatch:DynamoDB:ChangeLogLength must be between 0 and 20000; got 20001")]
    public void InvalidSetting_FailsWithAMessageNamingIt(string setting, string value, string message)
    {
        var options = new DynamoDBMembershipOptions();
        switch (setting)
        {
            case "TableName": options.TableName = value; break;
            case "Region": options.Region = value; break;
            case "ChangeLogLength": options.ChangeLogLength = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "ServiceUrl": options.ServiceUrl = new Uri(value, UriKind.RelativeOrAbsolute); break;
            case "BillingMode": options.BillingMode = (DynamoDBBillingMode)int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "ReadCapacityUnits":
                options.BillingMode = DynamoDBBillingMode.Provisioned;
                options.ReadCapacityUnits = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "WriteCapacityUnits":
                options.BillingMode = DynamoDBBillingMode.Provisioned;
                options.WriteCapacityUnits = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "TimeToLive": options.TimeToLive = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            default: throw new ArgumentOutOfRangeException(nameof(setting));
        }

        var result = Validate(options);

        result.Failed.ShouldBeTrue();
        result.Failures.ShouldHaveSingleItem().ShouldStartWith(message);
    }

    [Fact]
    public void CapacityUnits_AreIgnoredWithOnDemandBilling_AndNoExpiryIsAllowed()
    {
        var options = new DynamoDBMembershipOptions { ReadCapacityUnits = 0, WriteCapacityUnits = 0, TimeToLive = null, Region = " " };

        Validate(options).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void EveryFailure_IsReported()
    {
        var options = new DynamoDBMembershipOptions { TableName = "x", Region = "nowhere", TimeToLive = TimeSpan.FromSeconds(1) };

        Validate(options).Failures.ShouldNotBeNull().Count().ShouldBe(3);
    }

    [Fact]
    public void ProvidersConstructedDirectly_ValidateTheirOptions()
    {
        var exception = Should.Throw<OptionsValidationException>(() => new DynamoDBMembershipTable(
            Options.Create(new DynamoDBMembershipOptions { TableName = "?" }),
            Options.Create(new Orleans.Configuration.ClusterOptions { ClusterId = "c" }),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            TimeProvider.System));

        exception.Message.ShouldContain("OrleansBatch:DynamoDB:TableName");
        Should.Throw<ArgumentException>(() => new DynamoDBMembershipTable(
            Options.Create(new DynamoDBMembershipOptions()),
            Options.Create(new Orleans.Configuration.ClusterOptions { ClusterId = "" }),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            TimeProvider.System)).Message.ShouldContain("ClusterId");
    }

    private static ValidateOptionsResult Validate(DynamoDBMembershipOptions options)
        => new DynamoDBMembershipOptionsValidator().Validate(Options.DefaultName, options);
}
