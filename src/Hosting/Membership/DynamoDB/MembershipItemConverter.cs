using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Orleans.Runtime;
using Schema = Orleans.Batch.Hosting.Membership.DynamoDB.DynamoDBMembershipSchema;

namespace Orleans.Batch.Hosting.Membership.DynamoDB;

/// <summary>A silo row as stored: the entry, its ETag and the table version it was written at.</summary>
internal sealed record StoredRow(string Identity, MembershipEntry Entry, string ETag, int MembershipVersion);

/// <summary>The version item as stored.</summary>
internal sealed record StoredVersion(int Version, string ETag, IReadOnlyDictionary<string, string> LastChange);

/// <summary>
/// Converts membership entries to DynamoDB items and back. Reading is strict: any missing or mistyped attribute
/// is a <see cref="MalformedMembershipRowException"/> naming the row and the attribute.
/// </summary>
internal static class MembershipItemConverter
{
    // Fixed width, UTC, 100 ns precision: exact round trip of DateTime ticks, and ordered as strings.
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static Dictionary<string, AttributeValue> Key(string clusterId, string sortKey) => new(StringComparer.Ordinal)
    {
        [Schema.PartitionKey] = new AttributeValue { S = clusterId },
        [Schema.SortKey] = new AttributeValue { S = sortKey },
    };

    public static Dictionary<string, AttributeValue> ToRowItem(
        string clusterId, MembershipEntry entry, string etag, int membershipVersion, long? expiresAt)
    {
        var item = Key(clusterId, entry.SiloAddress.ToParsableString());
        item[Schema.ETag] = new AttributeValue { S = etag };
        item[Schema.MembershipVersion] = Number(membershipVersion);
        item[Schema.Status] = new AttributeValue { S = entry.Status.ToString() };
        item[Schema.ProxyPort] = Number(entry.ProxyPort);
        item[Schema.UpdateZone] = Number(entry.UpdateZone);
        item[Schema.FaultZone] = Number(entry.FaultZone);
        item[Schema.StartTime] = new AttributeValue { S = FormatTime(entry.StartTime) };
        item[Schema.IAmAliveTime] = new AttributeValue { S = FormatTime(entry.IAmAliveTime) };
        AddOptional(item, Schema.HostName, entry.HostName);
        AddOptional(item, Schema.SiloName, entry.SiloName);
        AddOptional(item, Schema.RoleName, entry.RoleName);
        if (entry.SuspectTimes is { } votes)
        {
            item[Schema.SuspectTimes] = new AttributeValue
            {
                L = votes.Select(vote => new AttributeValue
                {
                    M = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
                    {
                        [Schema.SuspectSilo] = new AttributeValue { S = vote.Item1.ToParsableString() },
                        [Schema.SuspectTime] = new AttributeValue { S = FormatTime(vote.Item2) },
                    },
                }).ToList(),
            };
        }

        AddExpiry(item, expiresAt);
        return item;
    }

    public static Dictionary<string, AttributeValue> ToVersionItem(
        string clusterId, int version, string etag, IReadOnlyDictionary<string, string> lastChange, long? expiresAt)
    {
        var item = Key(clusterId, Schema.VersionSortKey);
        item[Schema.Version] = Number(version);
        item[Schema.ETag] = new AttributeValue { S = etag };
        item[Schema.LastChange] = LastChangeValue(lastChange);
        AddExpiry(item, expiresAt);
        return item;
    }

    public static AttributeValue LastChangeValue(IReadOnlyDictionary<string, string> lastChange) => new()
    {
        M = lastChange.ToDictionary(pair => pair.Key, pair => new AttributeValue { S = pair.Value }, StringComparer.Ordinal),
    };

    public static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static string FormatTime(DateTime time)
    {
        var utc = time.Kind switch
        {
            DateTimeKind.Local => time.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(time, DateTimeKind.Utc),
            _ => time,
        };
        return utc.ToString(TimeFormat, CultureInfo.InvariantCulture);
    }

    public static string? GetSortKey(Dictionary<string, AttributeValue> item)
        => item.TryGetValue(Schema.SortKey, out var value) ? value.S : null;

    public static StoredRow ReadRow(string store, Dictionary<string, AttributeValue> item)
    {
        var reader = new ItemReader(store, item);
        var identity = reader.RequiredString(Schema.SortKey);
        var entry = new MembershipEntry
        {
            SiloAddress = reader.ParseSiloAddress(Schema.SortKey, identity),
            Status = reader.Status(Schema.Status),
            ProxyPort = reader.RequiredInt(Schema.ProxyPort),
            // Null stays null: an absent attribute is an entry written without the value.
            HostName = reader.OptionalString(Schema.HostName)!,
            SiloName = reader.OptionalString(Schema.SiloName)!,
            RoleName = reader.OptionalString(Schema.RoleName),
            UpdateZone = reader.RequiredInt(Schema.UpdateZone),
            FaultZone = reader.RequiredInt(Schema.FaultZone),
            StartTime = reader.RequiredTime(Schema.StartTime),
            IAmAliveTime = reader.RequiredTime(Schema.IAmAliveTime),
            SuspectTimes = reader.SuspectVotes(Schema.SuspectTimes),
        };
        return new StoredRow(identity, entry, reader.RequiredString(Schema.ETag), reader.RequiredInt(Schema.MembershipVersion));
    }

    /// <summary>A copy of <paramref name="entry"/> (its own list of votes), optionally with another I-am-alive time.</summary>
    public static MembershipEntry CopyEntry(MembershipEntry entry, DateTime? iAmAliveTime = null) => new()
    {
        SiloAddress = entry.SiloAddress,
        Status = entry.Status,
        ProxyPort = entry.ProxyPort,
        HostName = entry.HostName,
        SiloName = entry.SiloName,
        RoleName = entry.RoleName,
        UpdateZone = entry.UpdateZone,
        FaultZone = entry.FaultZone,
        StartTime = entry.StartTime,
        IAmAliveTime = iAmAliveTime ?? entry.IAmAliveTime,
        SuspectTimes = entry.SuspectTimes is null ? null : [.. entry.SuspectTimes],
    };

    /// <summary>Reads the attributes a gateway query projects: the silo identity and the gateway port.</summary>
    public static (SiloAddress Silo, int ProxyPort) ReadGatewayFields(string store, Dictionary<string, AttributeValue> item)
    {
        var reader = new ItemReader(store, item);
        return (reader.ParseSiloAddress(Schema.SortKey, reader.RequiredString(Schema.SortKey)), reader.RequiredInt(Schema.ProxyPort));
    }

    public static StoredVersion ReadVersion(string store, Dictionary<string, AttributeValue> item)
    {
        var reader = new ItemReader(store, item);
        return new StoredVersion(reader.RequiredInt(Schema.Version), reader.RequiredString(Schema.ETag), reader.StringMap(Schema.LastChange));
    }

    private static void AddOptional(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (value is not null)
        {
            item[name] = new AttributeValue { S = value };
        }
    }

    private static void AddExpiry(Dictionary<string, AttributeValue> item, long? expiresAt)
    {
        if (expiresAt is { } seconds)
        {
            item[Schema.ExpiresAt] = Number(seconds);
        }
    }

    /// <summary>Reads typed attributes of one item, naming the row and attribute in every error.</summary>
    private readonly struct ItemReader(string store, Dictionary<string, AttributeValue> item)
    {
        private string RowKey => GetSortKey(item) ?? "(no sort key)";

        public string RequiredString(string name)
            => OptionalString(name) ?? throw Malformed(name, "is missing; expected a string (S).");

        public string? OptionalString(string name)
        {
            if (!item.TryGetValue(name, out var value))
            {
                return null;
            }

            return value.S ?? throw Malformed(name, $"must be a string (S), found {Describe(value)}.");
        }

        public int RequiredInt(string name)
        {
            if (!item.TryGetValue(name, out var value))
            {
                throw Malformed(name, "is missing; expected a number (N).");
            }

            return ParseInt(name, value);
        }

        public DateTime RequiredTime(string name) => ParseTime(name, RequiredString(name));

        public SiloStatus Status(string name)
        {
            var text = RequiredString(name);
            if (text.Length == 0 || !char.IsLetter(text[0])
                || !Enum.TryParse<SiloStatus>(text, ignoreCase: false, out var status) || !Enum.IsDefined(status))
            {
                throw Malformed(name, $"must name a silo status ({string.Join(", ", Enum.GetNames<SiloStatus>())}), found '{text}'.");
            }

            return status;
        }

        public SiloAddress ParseSiloAddress(string name, string text)
        {
            try
            {
                var address = SiloAddress.FromParsableString(text);
                if (address.ToParsableString() == text)
                {
                    return address;
                }
            }
            catch (Exception exception) when (exception is FormatException or ArgumentException or IndexOutOfRangeException or OverflowException)
            {
            }

            throw Malformed(name, $"must be a silo address such as '10.0.0.1:11111@123456', found '{text}'.");
        }

        public List<Tuple<SiloAddress, DateTime>>? SuspectVotes(string name)
        {
            if (!item.TryGetValue(name, out var value))
            {
                return null;
            }

            if (value.L is not { } list)
            {
                throw Malformed(name, $"must be a list (L) of maps with '{Schema.SuspectSilo}' and '{Schema.SuspectTime}', found {Describe(value)}.");
            }

            var votes = new List<Tuple<SiloAddress, DateTime>>(list.Count);
            for (var i = 0; i < list.Count; i++)
            {
                var element = $"{name}[{i}]";
                if (list[i].M is not { } vote)
                {
                    throw Malformed(element, $"must be a map (M) with '{Schema.SuspectSilo}' and '{Schema.SuspectTime}', found {Describe(list[i])}.");
                }

                var silo = VoteString(vote, element, Schema.SuspectSilo);
                var time = VoteString(vote, element, Schema.SuspectTime);
                votes.Add(Tuple.Create(ParseSiloAddress($"{element}.{Schema.SuspectSilo}", silo), ParseTime($"{element}.{Schema.SuspectTime}", time)));
            }

            return votes;
        }

        public Dictionary<string, string> StringMap(string name)
        {
            if (!item.TryGetValue(name, out var value))
            {
                return new Dictionary<string, string>(StringComparer.Ordinal);
            }

            if (value.M is not { } map)
            {
                throw Malformed(name, $"must be a map (M) of strings, found {Describe(value)}.");
            }

            var result = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
            foreach (var (key, element) in map)
            {
                result[key] = element.S ?? throw Malformed($"{name}.{key}", $"must be a string (S), found {Describe(element)}.");
            }

            return result;
        }

        private string VoteString(Dictionary<string, AttributeValue> vote, string element, string name)
        {
            if (!vote.TryGetValue(name, out var value))
            {
                throw Malformed($"{element}.{name}", "is missing; expected a string (S).");
            }

            return value.S ?? throw Malformed($"{element}.{name}", $"must be a string (S), found {Describe(value)}.");
        }

        private int ParseInt(string name, AttributeValue value)
        {
            if (value.N is not { } text)
            {
                throw Malformed(name, $"must be a number (N), found {Describe(value)}.");
            }

            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                throw Malformed(name, $"must be a 32-bit integer, found {text}.");
            }

            return number;
        }

        private DateTime ParseTime(string name, string text)
        {
            if (!DateTime.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            {
                throw Malformed(name, $"must be a UTC time formatted '{TimeFormat}', found '{text}'.");
            }

            return time;
        }

        private MalformedMembershipRowException Malformed(string name, string problem)
            => new(store, RowKey, name, problem);

        private static string Describe(AttributeValue value) => value switch
        {
            { S: { } s } => $"a string (S) '{s}'",
            { N: { } n } => $"a number (N) {n}",
            { BOOL: { } b } => $"a boolean (BOOL) {b}",
            { NULL: true } => "NULL",
            { L: not null } => "a list (L)",
            { M: not null } => "a map (M)",
            { SS: not null } => "a string set (SS)",
            { NS: not null } => "a number set (NS)",
            { B: not null } => "binary (B)",
            { BS: not null } => "a binary set (BS)",
            _ => "an empty value",
        };
    }
}
