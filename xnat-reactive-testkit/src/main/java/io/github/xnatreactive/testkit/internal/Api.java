package io.github.xnatreactive.testkit.internal;

import java.util.List;
import java.util.Set;

/**
 * The server's API: every route it answers, top to bottom, as XNAT lists its own. One row per method and path
 * pattern; the first matching row wins. The handlers live one concept per file; the patterns' variables become typed
 * {@link Target}s through {@link Targets}.
 */
final class Api {
    private Api() {}

    /** Objects that hold resources and files, each a path prefix (deepest last within its family). */
    private static final String PROJECT = "/data/projects/{project}";

    private static final List<String> SUBJECTS = List.of(PROJECT + "/subjects/{subject}", "/data/subjects/{subject}");
    private static final List<String> EXPERIMENTS = List.of(
            PROJECT + "/experiments/{experiment}",
            PROJECT + "/subjects/{subject}/experiments/{experiment}",
            "/data/subjects/{subject}/experiments/{experiment}",
            "/data/experiments/{experiment}");
    /** Below an experiment: scans, assessors and reconstructions, with the in/out sides of the derived ones. */
    private static final List<String> DERIVED = List.of(
            "/scans/{scan}",
            "/assessors/{assessor}",
            "/assessors/{assessor}/{direction:in|out}",
            "/reconstructions/{reconstruction}",
            "/reconstructions/{reconstruction}/{direction:in|out}");

    /** Sub-paths XNAT serves below an object that the testkit does not implement (501). */
    private static final Set<String> XNAT_SUB_PATHS =
            Set.of("projects", "status", "history", "users", "DIR", "XAR", "pipelines", "workflows", "config");

    static RouteTable table(AuthHandlers auth) {
        RouteTable t = new RouteTable();
        AccessRoutes.addTo(t, PROJECT, SUBJECTS, EXPERIMENTS);

        // ---- sessions and services (contract section 6)
        t.route("GET,HEAD,POST", "/data/JSESSION", auth::session);
        t.route("DELETE", "/data/JSESSION", auth::logout);
        t.route("GET,HEAD", "/data/auth", auth::whoami);
        t.route("PUT,POST", "/data/services/auth", auth::formLogin);
        t.route("POST", "/data/services/refresh/catalog", CatalogService::refresh);
        // ---- import, prearchive, archive (contract section 8)
        t.route("POST", "/data/services/import", ImportService::handle);
        t.route("POST", "/data/services/archive", PrearchiveHandlers::archiveService);
        t.route("POST", "/data/services/prearchive/{op:move|delete|rebuild}", PrearchiveHandlers::batch);
        t.route("GET,HEAD", "/data/services/dicomdump", DicomDumpService::dump);
        t.notImplemented("/data/services/**");

        // ---- XAPI
        t.route("GET,HEAD", "/xapi/siteConfig/buildInfo", auth::buildInfo);
        t.route("GET,HEAD", "/xapi/siteConfig/siteId", auth::siteId);
        ServerInfoHandlers info = new ServerInfoHandlers();
        t.route("GET,HEAD", "/xapi/siteConfig/uptime", info::uptime);
        t.route("GET,HEAD", "/xapi/plugins", info::plugins);
        t.route("GET,HEAD", "/xapi/plugins/{plugin}", info::plugin);
        t.route("GET,HEAD", "/xapi/schemas", SchemaHandlers::list);
        t.route("GET,HEAD", "/xapi/schemas/{name}", SchemaHandlers::get);
        t.route("GET,HEAD", "/schemas/{folder}/{file}", SchemaHandlers::file);
        t.notImplemented("/xapi/**");

        // ---- the prearchive (contract sections 8.2, 8.3)
        String prearc = "/data/prearchive/projects/{project}/{timestamp}/{session}";
        t.route("GET,HEAD", "/data/prearchive/projects", PrearchiveHandlers::list);
        t.route("GET,HEAD", "/data/prearchive/projects/{project}", PrearchiveHandlers::list);
        t.route("GET,HEAD", prearc, PrearchiveHandlers::get);
        t.route("POST", prearc, PrearchiveHandlers::action);
        t.route("DELETE", prearc, PrearchiveHandlers::delete);
        t.route("GET,HEAD", prearc + "/logs", PrearchiveHandlers::logs);
        t.route("GET,HEAD", prearc + "/scans", PrearchiveHandlers::scans);
        t.route("GET,HEAD", prearc + "/scans/{scan}/resources", PrearchiveHandlers::resources);
        t.route("GET,HEAD", prearc + "/scans/{scan}/resources/{resource}/files", PrearchiveHandlers::files);
        t.route("GET,HEAD", prearc + "/scans/{scan}/resources/{resource}/files/{path...}", PrearchiveHandlers::file);

        // ---- XNAT routes the testkit does not model
        // ---- search engine, stored searches, data types (contract section 7)
        SearchHandlers search = new SearchHandlers();
        t.route("POST", "/data/search", search::search);
        t.route("GET,HEAD", "/data/search/elements", search::elements);
        t.route("GET,HEAD", "/data/search/elements/{type}", search::fields);
        t.route("GET,HEAD", "/data/search/saved", search::savedList);
        t.route("POST", "/data/search/saved", search::savedPost);
        t.route("GET,HEAD", "/data/search/saved/{id}", search::savedGet);
        t.route("PUT", "/data/search/saved/{id}", search::savedPut);
        t.route("DELETE", "/data/search/saved/{id}", search::savedDelete);
        t.route("GET,HEAD", "/data/search/saved/{id}/results", search::savedResults);
        t.route("GET,HEAD", "/data/search/{id}", search::cached);

        for (String area : List.of("prearchive", "search", "config", "workflows", "investigators")) {
            t.notImplemented("/data/" + area + "/**");
        }

        // ---- site listings: scanners and scan types (also under /data/archive, as XNAT attaches them)
        for (String root : List.of("/data", "/data/archive")) {
            t.route("GET,HEAD", root + "/scanners", ServerInfoHandlers::scanners);
            t.route("GET,HEAD", root + "/scan_types", ServerInfoHandlers::scanTypes);
        }
        t.route("GET,HEAD", PROJECT + "/scan_types", Targets::project, ServerInfoHandlers::projectScanTypes);

        // ---- projects (contract sections 3, 4)
        t.route("GET,HEAD", "/data/projects", Targets::projects, ProjectHandlers::list);
        t.route("POST", "/data/projects", Targets::projects, ProjectHandlers::create);
        t.route("GET,HEAD", PROJECT, Targets::project, ProjectHandlers::get);
        t.route("PUT", PROJECT, Targets::project, ProjectHandlers::put);
        t.route("DELETE", PROJECT, Targets::project, ProjectHandlers::delete);
        String setting = PROJECT + "/{setting:accessibility|prearchive_code|quarantine_code|current_arc}/{args...}";
        t.route("GET,HEAD", setting, Targets::projectSetting, ProjectHandlers::setting);
        t.route("PUT,POST", setting, Targets::projectSetting, ProjectHandlers::changeSetting);

        // ---- subjects
        t.route("GET,HEAD", PROJECT + "/subjects", Targets::subjects, SubjectHandlers::list);
        t.route("POST", PROJECT + "/subjects", Targets::subjects, SubjectHandlers::create);
        t.route("GET,HEAD", "/data/subjects", Targets::subjects, SubjectHandlers::list);
        for (String subject : SUBJECTS) {
            object(t, subject, Targets::subject, SubjectHandlers::get, SubjectHandlers::put, SubjectHandlers::delete);
        }

        // ---- experiments
        t.route("GET,HEAD", "/data/experiments", Targets::experiments, ExperimentHandlers::list);
        for (String owner : List.of(PROJECT, PROJECT + "/subjects/{subject}")) {
            t.route("GET,HEAD", owner + "/experiments", Targets::experiments, ExperimentHandlers::list);
            t.route("POST", owner + "/experiments", Targets::experiments, ExperimentHandlers::create);
        }
        t.route("GET,HEAD", "/data/subjects/{subject}/experiments", Targets::experiments, ExperimentHandlers::list);
        for (String e : EXPERIMENTS) {
            t.route("GET,HEAD", e + "/status", Targets::experiment, StatusHandlers::get);
            object(
                    t,
                    e,
                    Targets::experiment,
                    ExperimentHandlers::get,
                    ExperimentHandlers::put,
                    ExperimentHandlers::delete);
        }

        // ---- scans, assessors, reconstructions
        for (String e : EXPERIMENTS) {
            String collection = e + "/{collection:scans|assessors|reconstructions}";
            t.route("GET,HEAD", collection, Targets::derivedList, DerivedHandlers::list);
            t.route("POST", collection, Targets::derivedList, DerivedHandlers::create);
            for (String d : List.of("/scans/{scan}", "/assessors/{assessor}", "/reconstructions/{reconstruction}")) {
                object(t, e + d, Targets::derived, DerivedHandlers::get, DerivedHandlers::put, DerivedHandlers::delete);
            }
        }

        // ---- resources and files of every object (contract section 5)
        List<String> owners = owners();
        for (String o : owners) {
            t.route("GET,HEAD", o + "/resources", Targets::catalogs, ResourceHandlers::list);
            t.route("GET,HEAD", o + "/resources/{resource}", Targets::catalog, ResourceHandlers::get);
            t.route("PUT,POST", o + "/resources/{resource}", Targets::catalog, ResourceHandlers::create);
            t.route("DELETE", o + "/resources/{resource}", Targets::catalog, ResourceHandlers::delete);
            for (String files : List.of(o + "/resources/{resource}/files/{path...}", o + "/files/{path...}")) {
                t.route("GET,HEAD", files, Targets::files, FileHandlers::get);
                t.route("PUT,POST", files, Targets::files, FileHandlers::upload, FileHandlers.IN_BODY_ARCHIVES);
                t.route("DELETE", files, Targets::files, FileHandlers::delete);
            }
        }

        // ---- what is left below an object: not implemented (501), or not XNAT's (400)
        for (String o : owners) {
            t.fallback(o + "/resources/{resource}/{other}/{more...}", c -> {
                throw XnatError.badRequest(
                        "A file path on a resource URL must follow /files: append /files to the resource URL.");
            });
        }
        for (String e : EXPERIMENTS) {
            t.fallback(e + "/{collection:assessors|reconstructions}/{derived}/{direction:in|out}", c -> {
                throw XnatError.notFound("The server has not found anything matching the request URI");
            });
        }
        List<String> deepestFirst = new java.util.ArrayList<>(owners);
        java.util.Collections.reverse(deepestFirst);
        for (String o : deepestFirst) {
            t.fallback(o + "/{sub}/{rest...}", Api::unknownSubPath);
        }
        return t;
    }

    /** An object's rows: {@code GET}/{@code HEAD} its document, {@code PUT} creates or changes it, {@code DELETE}. */
    private static <T> void object(
            RouteTable t,
            String pattern,
            java.util.function.Function<Call, T> resolve,
            RouteTable.TargetHandler<T> get,
            RouteTable.TargetHandler<T> put,
            RouteTable.TargetHandler<T> delete) {
        t.route("GET,HEAD", pattern, resolve, get);
        t.route("PUT", pattern, resolve, put);
        t.route("DELETE", pattern, resolve, delete);
    }

    /** Every object that holds resources: projects, subjects, experiments and what is below experiments. */
    static List<String> owners() {
        List<String> out = new java.util.ArrayList<>();
        out.add(PROJECT);
        out.addAll(SUBJECTS);
        for (String e : EXPERIMENTS) {
            out.add(e);
            for (String d : DERIVED) {
                out.add(e + d);
            }
        }
        return out;
    }

    private static Reply unknownSubPath(Call c) {
        String rest = c.var("rest");
        String sub = c.var("sub") + (rest.isEmpty() ? "" : "/" + rest);
        if (XNAT_SUB_PATHS.contains(c.var("sub"))) {
            throw new XnatError(501, "The testkit does not implement .../" + sub);
        }
        throw XnatError.badRequest("Unknown sub-path: " + sub);
    }
}
