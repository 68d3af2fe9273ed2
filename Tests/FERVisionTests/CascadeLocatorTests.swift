// CascadeLocator: the --cascade flag first (no fallback when it is wrong),
// then cascades/ under the package root, then the system directory; the
// error lists every place tried and the fix.

import Testing
@testable import FERVision

@Suite struct CascadeLocatorTests {
    @Test func flagWinsWhenItExists() throws {
        let flag = try TestPaths.media("sad.jpg")  // any existing file: loading is not the locator's job
        #expect(try CascadeLocator.resolve(flag: flag, packageRoot: TestPaths.packageRoot) == flag)
    }

    @Test func missingFlagIsAnErrorWithoutFallback() {
        let flag = "/nonexistent/x.xml"
        do {
            _ = try CascadeLocator.resolve(flag: flag, packageRoot: TestPaths.packageRoot)
            Issue.record("a missing --cascade path resolved")
        } catch {
            #expect(error == .cascadeNotFound(tried: [flag], fromFlag: true))
            #expect(error.description.contains(flag) && error.description.contains("--cascade"))
        }
    }

    @Test func packageCascadeComesBeforeSystem() throws {
        let path = try CascadeLocator.resolve(flag: nil, packageRoot: TestPaths.packageRoot)
        #expect(path == TestPaths.packageRoot + "/cascades/" + CascadeLocator.fileName)
    }

    @Test func systemDirectoryIsTheLastResort() throws {
        let empty = TestPaths.scratchDirectory()
        let found = try CascadeLocator.resolve(flag: nil, packageRoot: empty,
                                               systemDirectories: [TestPaths.packageRoot + "/cascades/"])
        #expect(found == TestPaths.packageRoot + "/cascades/" + CascadeLocator.fileName)
    }

    @Test func nothingFoundListsEveryPlaceAndTheFix() {
        let empty = TestPaths.scratchDirectory()
        do {
            _ = try CascadeLocator.resolve(flag: nil, packageRoot: empty, systemDirectories: ["/nonexistent/dir"])
            Issue.record("resolved with nothing on disk")
        } catch {
            let tried = [empty + "/cascades/" + CascadeLocator.fileName, "/nonexistent/dir/" + CascadeLocator.fileName]
            #expect(error == .cascadeNotFound(tried: tried, fromFlag: false))
            for p in tried { #expect(error.description.contains(p)) }
            #expect(error.description.contains("apt-get install opencv-data"))
            #expect(error.description.contains("--cascade PATH"))
            #expect(error.exitCode == 78)
        }
    }

    @Test func defaultCandidatesEndInOpenCVData() {
        #expect(CascadeLocator.candidates(flag: nil, packageRoot: nil)
                == ["/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"])
    }
}
