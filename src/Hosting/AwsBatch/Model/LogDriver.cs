using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.AwsBatch.Model;

/// <summary>The log driver of a container (model shape <c>LogDriver</c>).</summary>
[JsonConverter(typeof(AwsEnumConverter<LogDriver>))]
internal enum LogDriver
{
    /// <summary>A value this client does not know (the service added one); never sent.</summary>
    Unknown = 0,

    /// <summary>Docker's json-file driver.</summary>
    [JsonStringEnumMemberName("json-file")]
    JsonFile,

    /// <summary>syslog.</summary>
    [JsonStringEnumMemberName("syslog")]
    Syslog,

    /// <summary>journald.</summary>
    [JsonStringEnumMemberName("journald")]
    Journald,

    /// <summary>Graylog Extended Log Format.</summary>
    [JsonStringEnumMemberName("gelf")]
    Gelf,

    /// <summary>fluentd.</summary>
    [JsonStringEnumMemberName("fluentd")]
    Fluentd,

    /// <summary>Amazon CloudWatch Logs (the Batch default).</summary>
    [JsonStringEnumMemberName("awslogs")]
    AwsLogs,

    /// <summary>Splunk.</summary>
    [JsonStringEnumMemberName("splunk")]
    Splunk,

    /// <summary>FireLens.</summary>
    [JsonStringEnumMemberName("awsfirelens")]
    AwsFirelens,
}
