module gongkai

go 1.26
