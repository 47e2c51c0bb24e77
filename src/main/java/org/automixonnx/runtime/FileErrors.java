package org.automixonnx.runtime;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Why a file operation failed, in words: Java's file exceptions often carry only the path (an
 * AccessDeniedException's message is "/proc/x"), which makes an error line that does not say what is wrong.
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** "permission denied (/proc/x)", "not a folder (/a/file/x)", "no space left on device", or the message. */
    public static String reason(IOException e) {
        if (!(e instanceof FileSystemException f)) {
            return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        String why = f.getReason();
        if (why == null) {
            why = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or folder"
                    : e instanceof NotDirectoryException ? "not a folder"
                    : e instanceof FileAlreadyExistsException ? "something already exists there"
                    : e instanceof DirectoryNotEmptyException ? "the folder is not empty"
                    : "failed";
        }
        return why + (f.getFile() != null ? " (" + f.getFile() + ")" : "");
    }
}
