using Orleans.Batch.Hosting.Configuration;

namespace Orleans.Batch.Tests.Hosting.Configuration;

/// <summary>One grammar for cluster ids, and a safe name that never maps two ids to one file or job name.</summary>
public sealed class ClusterIdGrammarTests
{
    [Theory]
    [InlineData("ob-20261124-101500-3f9a1c")]
    [InlineData("876da822-4198-45f2-a252-6cea32512ea8")]
    [InlineData("876da822-4198-45f2-a252-6cea32512ea8:3")]
    [InlineData("ä1")]
    [InlineData("Run_2")]
    [InlineData("x")]
    public void Accepts_batch_job_ids_generated_ids_and_letters_of_any_script(string id) =>
        ClusterIdGrammar.Validate(id, "--cluster-id").ShouldBeNull();

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("..", "must start with a letter or a digit")]
    [InlineData(".", "must start with a letter or a digit")]
    [InlineData("../../../escape", "must start with a letter or a digit")]
    [InlineData("bad id/with slash", "may hold only")]
    [InlineData("a/b", "may hold only")]
    [InlineData("a\\b", "may hold only")]
    [InlineData("a.b", "may hold only")]
    [InlineData("a\nb", "may hold only")]
    [InlineData("-a", "must start with a letter or a digit")]
    [InlineData("a\u0000", "may hold only")]
    [InlineData("a\u0308", "may hold only")]
    public void Refuses_anything_that_could_be_read_as_a_path_or_split_a_line(string id, string rule)
    {
        var error = ClusterIdGrammar.Validate(id, "--cluster-id");

        error.ShouldNotBeNull();
        error.ShouldStartWith("--cluster-id ");
        error.ShouldContain(rule);
        error.ShouldNotContain("\n");
    }

    [Fact]
    public void Refuses_long_ids_and_shows_only_the_start_of_them()
    {
        var error = ClusterIdGrammar.Validate(new string('a', 5000), "--cluster-id");

        error.ShouldNotBeNull();
        error.ShouldContain("at most 64 characters");
        error.ShouldContain("(5000 characters)");
        error.Length.ShouldBeLessThan(300);
    }

    [Fact]
    public void Refuses_ids_whose_safe_name_would_be_too_long_for_a_file_name()
    {
        ClusterIdGrammar.Validate(new string('a', 64), "--cluster-id").ShouldBeNull();
        ClusterIdGrammar.Validate(new string('ä', 41), "--cluster-id").ShouldNotBeNull().ShouldContain("205 of at most 200");
    }

    [Theory]
    [InlineData("ä1", "ö1")]
    [InlineData("A", "a")]
    [InlineData("a:1", "a-1")]
    [InlineData("a_1", "a-1")]
    [InlineData("a_0031", "a1")]
    public void Different_ids_get_different_safe_names(string first, string second) =>
        ClusterIdGrammar.ToSafeName(first).ShouldNotBe(ClusterIdGrammar.ToSafeName(second));

    [Theory]
    [InlineData("ob-20261124-101500-3f9a1c", "ob-20261124-101500-3f9a1c")]
    [InlineData("ä1", "_00e41")]
    [InlineData("A", "_0041")]
    [InlineData("x:3", "x_003a3")]
    public void Safe_names_are_lower_case_ascii_and_plain_ids_stay_as_they_are(string id, string safe)
    {
        var name = ClusterIdGrammar.ToSafeName(id);

        name.ShouldBe(safe);
        name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_').ShouldBeTrue();
        ClusterIdGrammar.FromSafeName(name).ShouldBe(id);
    }

    [Theory]
    [InlineData("_0061")]
    [InlineData("_00")]
    [InlineData("Abc")]
    [InlineData("a.b")]
    [InlineData("_002e_002e")]
    public void Only_canonical_safe_names_of_valid_ids_are_read_back(string name) =>
        ClusterIdGrammar.FromSafeName(name).ShouldBeNull();

    [Fact]
    public void Generated_ids_follow_the_grammar() =>
        ClusterIdGrammar.IsValid(Orleans.Batch.Hosting.Cluster.ClusterIdGenerator.NewClusterId(TimeProvider.System)).ShouldBeTrue();
}
