// Maps errors of the libraries to a one-line message on stderr and a sysexits
// code, so every subcommand fails the same way.
import ArgumentParser
import FERNet
import FERTraining
import Foundation

enum Failure {
    /// Prints "fer-train <command>: <message>" and returns the exit code to throw.
    static func exit(_ command: String, _ error: Error) -> ExitCode {
        FileHandle.standardError.write(Data("fer-train \(command): \(error)\n".utf8))
        return ExitCode(code(error))
    }

    static func code(_ error: Error) -> Int32 {
        switch error {
        case let e as DatasetError:
            switch e {
            case .missing: return 66
            case .unreadable, .unreadableImage: return 66
            case .noSplit: return 64
            default: return 65
            }
        case let e as EvaluationError:
            if case .model(let m) = e, m.problem == .fileMissing { return 66 }
            if case .report = e { return 73 }
            return 78
        case let e as ModelFileError:
            if case .writeFailed = e.problem { return 73 }
            return e.problem == .fileMissing ? 66 : 78
        case let e as CheckpointError:
            if case .writeFailed = e { return 73 }
            return 78
        case is TrainingError, is ValidationErrorText: return 64
        case is ModelSpecError: return 64
        default: return 70
        }
    }
}
