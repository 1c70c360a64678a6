@testable import AssayServer
import AssayCore
import Foundation
import Testing

@Suite("Job files' disk problems")
struct JobFileProblemTests {
    /// A full disk under the jobs folder answered an upload with 500 and Foundation's "Code=640 … POSIX Code=28".
    @Test("a full or unwritable jobs folder is named in words; other errors are left alone")
    func namedInWords() {
        let folder = URL(fileURLWithPath: "/srv/assay-jobs")
        let posixFull = NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))
        let cocoaFull = NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteOutOfSpace.rawValue,
                                userInfo: [NSUnderlyingErrorKey: posixFull])
        for error in [cocoaFull, NSError(domain: NSCocoaErrorDomain, code: 512, userInfo: [NSUnderlyingErrorKey: posixFull])] {
            #expect(JobRunner.fileProblem(error, folder: folder)
                == .unavailable("the disk of the jobs folder (/srv/assay-jobs) is full; free space on it, then try again"))
        }
        let denied = NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES))
        #expect(JobRunner.fileProblem(denied, folder: folder)
            == .unavailable("the jobs folder (/srv/assay-jobs) cannot be written; check its permissions and its disk"))
        #expect(JobRunner.fileProblem(AssayError.conflict("x"), folder: folder) == nil)
        #expect(JobRunner.fileProblem(NSError(domain: NSPOSIXErrorDomain, code: Int(EPIPE)), folder: folder) == nil)
    }
}
