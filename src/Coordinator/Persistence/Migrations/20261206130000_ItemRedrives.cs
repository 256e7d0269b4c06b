using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pipeline.Coordinator.Persistence.Migrations
{
    /// <summary>Items count how often their current stage's command was sent again after its deadline passed
    /// (<c>redrives</c>); rows saved before start at zero.</summary>
    [DbContext(typeof(CoordinatorDbContext))]
    [Migration("20261206130000_ItemRedrives")]
    public partial class ItemRedrives : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AddColumn<int>(name: "redrives", table: "items", type: "integer", nullable: false, defaultValue: 0);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.DropColumn(name: "redrives", table: "items");
    }
}
