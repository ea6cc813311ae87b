using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LtiMicroCred.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class LaunchStatesWithoutPlatformKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_LtiLaunchStates_Platforms_PlatformId",
                table: "LtiLaunchStates");

            migrationBuilder.DropIndex(
                name: "IX_LtiLaunchStates_PlatformId",
                table: "LtiLaunchStates");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_LtiLaunchStates_PlatformId",
                table: "LtiLaunchStates",
                column: "PlatformId");

            migrationBuilder.AddForeignKey(
                name: "FK_LtiLaunchStates_Platforms_PlatformId",
                table: "LtiLaunchStates",
                column: "PlatformId",
                principalTable: "Platforms",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
