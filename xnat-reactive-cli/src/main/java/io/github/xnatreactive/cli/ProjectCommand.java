package io.github.xnatreactive.cli;

import io.github.xnatreactive.core.ProjectMember;
import io.github.xnatreactive.core.ProjectRole;
import io.github.xnatreactive.core.XnatClient;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code project users P}, {@code project add-user P GROUP LOGIN}, {@code project remove-user P LOGIN}. */
@Command(
        name = "project",
        mixinStandardHelpOptions = true,
        description = {"A project's users: list them, put one in a group, take one out (project owners)."},
        subcommands = {ProjectCommand.Users.class, ProjectCommand.AddUser.class, ProjectCommand.RemoveUser.class})
final class ProjectCommand implements Runnable {
    ProjectCommand(Cli cli) {}

    @Override
    public void run() {
        throw new Cli.UsageException(
                "a subcommand is required: project users P, project add-user P GROUP LOGIN, project remove-user P"
                        + " LOGIN");
    }

    @Command(
            name = "users",
            mixinStandardHelpOptions = true,
            description = {"List a project's owners, members and collaborators (project owners only)."})
    static final class Users extends ClientCommand {
        @Mixin
        AccessOutput output = new AccessOutput();

        @Parameters(index = "0", paramLabel = "PROJECT", description = "the project's ID")
        String project;

        Users(Cli cli) {
            super(cli);
        }

        @Override
        void run(XnatClient xnat) {
            output.print(
                    cli,
                    xnat.project(project).users().map(Users::row).collectList().block());
        }

        private static Map<String, String> row(ProjectMember m) {
            Map<String, String> r = new LinkedHashMap<>();
            r.put("login", m.login());
            r.put("role", m.role().word());
            r.put("firstname", m.firstname());
            r.put("lastname", m.lastname());
            r.put("email", m.email());
            return r;
        }
    }

    @Command(
            name = "add-user",
            mixinStandardHelpOptions = true,
            description = {"Put a user in a project's group, moving them out of the group they were in."})
    static final class AddUser extends ClientCommand {
        @Parameters(index = "0", paramLabel = "PROJECT", description = "the project's ID")
        String project;

        @Parameters(index = "1", paramLabel = "GROUP", description = "owner, member or collaborator")
        String group;

        @Parameters(index = "2", paramLabel = "LOGIN", description = "the user's login")
        String login;

        AddUser(Cli cli) {
            super(cli);
        }

        @Override
        void run(XnatClient xnat) {
            ProjectRole role;
            try {
                role = ProjectRole.parse(group);
            } catch (IllegalArgumentException e) {
                throw new Cli.UsageException(e.getMessage());
            }
            xnat.project(project).addUser(login, role).block();
            cli.out.println(login + " is now a " + role.word() + " of " + project);
        }
    }

    @Command(
            name = "remove-user",
            mixinStandardHelpOptions = true,
            description = {"Take a user out of a project's groups."})
    static final class RemoveUser extends ClientCommand {
        @Parameters(index = "0", paramLabel = "PROJECT", description = "the project's ID")
        String project;

        @Parameters(index = "1", paramLabel = "LOGIN", description = "the user's login")
        String login;

        RemoveUser(Cli cli) {
            super(cli);
        }

        @Override
        void run(XnatClient xnat) {
            xnat.project(project).removeUser(login).block();
            cli.out.println(login + " is in none of the groups of " + project);
        }
    }
}
