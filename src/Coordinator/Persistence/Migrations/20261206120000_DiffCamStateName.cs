using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pipeline.Coordinator.Persistence.Migrations
{
    /// <summary>The item saga's second stage state is named after its stage, DiffCam, like its queue, worker and
    /// messages: rows saved as "Composing" move to "DiffCamming" so that items in flight across the upgrade go on. The
    /// schema is unchanged, so this migration has no target model of its own.</summary>
    [DbContext(typeof(CoordinatorDbContext))]
    [Migration("20261206120000_DiffCamStateName")]
    public partial class DiffCamStateName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("UPDATE items SET state = 'DiffCamming' WHERE state = 'Composing';");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("UPDATE items SET state = 'Composing' WHERE state = 'DiffCamming';");
    }
}
